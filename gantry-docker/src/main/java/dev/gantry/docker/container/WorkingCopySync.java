package dev.gantry.docker.container;

import dev.gantry.docker.host.DockerErrors;
import dev.gantry.docker.host.DockerHost;
import dev.gantry.engine.cache.CacheArchive;
import dev.gantry.engine.workspace.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The working copy on a Docker host that does not share Gantry's files ({@code files=copy}): copied into a
 * container at the same path before each step, and back after it, so that what Gantry does between steps
 * (restoring caches, attaching workspaces) and what the steps make (reports, artifacts, files to persist) meet as
 * with a shared directory. Each copy replaces the other side's whole working copy; what comes back is extracted by
 * the cache's rules (confined to the working copy, never through a link).
 */
final class WorkingCopySync {

    private WorkingCopySync() {
    }

    /**
     * Replaces the working copy in the (running) task container with this machine's, owned by {@code user}
     * ({@code uid:gid} or a name).
     */
    static void push(TaskContainer c, Path workingCopy, String user) throws IOException {
        if (AsRoot.run(c, List.of("rm", "-rf", workingCopy.toString()), Duration.ofMinutes(5)) != 0) {
            throw new IOException("cannot clear the working copy in the task's container on docker host "
                    + c.host().name());
        }
        upload(c.host(), c.id(), workingCopy, user);
        if (AsRoot.run(c, List.of("chown", "-R", user, workingCopy.toString()), Duration.ofMinutes(5)) != 0) {
            throw new IOException("cannot give the working copy to user " + user + " in the task's container on"
                    + " docker host " + c.host().name());
        }
        makeVolumeDirectories(c, workingCopy, user);
    }

    /** The directories the working copy's links into volumes point at: a volume of the host's own starts empty. */
    private static void makeVolumeDirectories(TaskContainer c, Path workingCopy, String user) throws IOException {
        List<String> targets = new java.util.ArrayList<>();
        try (Stream<Path> walk = Files.walk(workingCopy)) {
            for (Path f : walk.filter(Files::isSymbolicLink).toList()) {
                Path target = Files.readSymbolicLink(f);
                if (target.isAbsolute() && c.plan().mounts().stream().anyMatch(m -> !m.readOnly()
                        && !workingCopy.startsWith(m.path()) && target.startsWith(m.path()))) {
                    targets.add(target.toString());
                }
            }
        }
        if (!targets.isEmpty()) {
            List<String> mkdir = new java.util.ArrayList<>(List.of("sh", "-c",
                    "mkdir -p \"$@\" && chown " + user + " \"$@\"", "mkdir"));
            mkdir.addAll(targets);
            AsRoot.run(c, mkdir, Duration.ofMinutes(1));
        }
    }

    /**
     * On a host that does not share Gantry's files, Gantry's writable directories (the volumes' root) are Docker
     * volumes of that host's own, mounted at the same paths, so volumes persist per host; its read-only ones
     * (Gantry's JVM and launcher) are not there, nor is the build's directory (the working copy is copied).
     */
    static List<com.github.dockerjava.api.model.Bind> hostVolumes(ContainerTask.ContainerPlan plan,
                                                                  Path workingCopy) {
        List<com.github.dockerjava.api.model.Bind> binds = new java.util.ArrayList<>();
        for (ContainerTask.Mount m : plan.mounts()) {
            if (!m.readOnly() && !workingCopy.startsWith(m.path())) {
                binds.add(new com.github.dockerjava.api.model.Bind(hostVolumeName(plan.instance(), m.path()),
                        new com.github.dockerjava.api.model.Volume(m.path().toString())));
            }
        }
        return binds;
    }

    /** The Docker volume that stands for {@code dir} on a host that does not share Gantry's files. */
    static String hostVolumeName(String instance, Path dir) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(dir.toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "gantry-" + instance + "-" + java.util.HexFormat.of().formatHex(d, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Copies the working copy into a container (created, or running) at the same path, its parent directories
     * made as needed, owned by {@code user} when it is numeric ({@code uid[:gid]}; the engine keeps the archive's
     * owners), else by root until chowned.
     */
    static void upload(DockerHost host, String container, Path workingCopy, String user) throws IOException {
        long[] ids = ids(user);
        Path tar = Files.createTempFile("gantry-push-", ".tar");
        try {
            try (OutputStream out = Files.newOutputStream(tar);
                 TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
                t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                // entries by their full path from /: the engine makes missing parents itself (no entries for them,
                // which would reset the modes of directories the image has, such as /tmp)
                Path root = workingCopy.getRoot();
                try (Stream<Path> walk = Files.walk(workingCopy)) {
                    for (Path f : walk.toList()) {
                        add(t, f, root.relativize(f).toString(), ids);
                    }
                }
                t.finish();
            }
            try (InputStream in = Files.newInputStream(tar)) {
                host.client().copyArchiveToContainerCmd(container).withRemotePath("/").withTarInputStream(in)
                        .exec();
            } catch (RuntimeException e) {
                throw DockerErrors.isConnectionLost(e) ? host.unreachable(e) : new IOException("cannot copy the"
                        + " working copy to docker host " + host.name() + ": " + DockerErrors.message(e), e);
            }
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    /** Replaces this machine's working copy with the container's. */
    static void pull(TaskContainer c, Path workingCopy) throws IOException {
        Path tar = Files.createTempFile("gantry-pull-", ".tar");
        try {
            try (InputStream in = c.host().client().copyArchiveFromContainerCmd(c.id(), workingCopy.toString())
                    .exec();
                 TarArchiveInputStream from = new TarArchiveInputStream(in);
                 OutputStream out = Files.newOutputStream(tar);
                 TarArchiveOutputStream to = new TarArchiveOutputStream(out)) {
                to.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                to.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (TarArchiveEntry e = from.getNextEntry(); e != null; e = from.getNextEntry()) {
                    e.setName(rebased(e.getName()));
                    if (e.isLink()) {
                        e.setLinkName(rebased(e.getLinkName()));
                    }
                    to.putArchiveEntry(e);
                    if (e.getSize() > 0 && !e.isDirectory() && !e.isSymbolicLink() && !e.isLink()) {
                        from.transferTo(to);
                    }
                    to.closeArchiveEntry();
                }
                to.finish();
            } catch (RuntimeException e) {
                throw DockerErrors.isConnectionLost(e) ? c.host().unreachable(e) : new IOException("cannot copy the"
                        + " working copy back from docker host " + c.host().name() + ": " + DockerErrors.message(e),
                        e);
            }
            try (Stream<Path> children = Files.list(workingCopy)) {
                for (Path child : children.toList()) {
                    if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                        Directories.deleteTree(child);
                    } else {
                        Files.delete(child);
                    }
                }
            }
            try (InputStream in = Files.newInputStream(tar)) {
                CacheArchive.extractTar(in, workingCopy, "the working copy from docker host " + c.host().name());
            }
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    /** {@code copy/x} (Docker names entries from the copied directory's own name) as {@code w/x}. */
    private static String rebased(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? "w/" : "w/" + name.substring(slash + 1);
    }

    /** {@code uid[:gid]} as numbers (gid = uid when absent); null for a user name. */
    private static long[] ids(String user) {
        if (user == null || !user.matches("\\d+(:\\d+)?")) {
            return null;
        }
        String[] p = user.split(":");
        long uid = Long.parseLong(p[0]);
        return new long[] {uid, p.length > 1 ? Long.parseLong(p[1]) : uid};
    }

    private static void add(TarArchiveOutputStream t, Path f, String name, long[] ids) throws IOException {
        TarArchiveEntry e;
        boolean content = false;
        if (Files.isSymbolicLink(f)) {
            e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(f).toString());
        } else if (Files.isDirectory(f)) {
            e = new TarArchiveEntry(f.toFile(), name + "/");
            e.setMode(040755);
        } else if (Files.isRegularFile(f)) {
            e = new TarArchiveEntry(f.toFile(), name);
            e.setMode(Files.isExecutable(f) ? 0100755 : 0100644);
            content = true;
        } else {
            return;
        }
        if (ids != null) {
            e.setUserId(ids[0]);
            e.setGroupId(ids[1]);
        }
        t.putArchiveEntry(e);
        if (content) {
            Files.copy(f, t);
        }
        t.closeArchiveEntry();
    }
}

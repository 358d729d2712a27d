package dev.gantry.engine.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What goes into a release: the listed files and directories copied from the working copy (confined to it), each
 * file's sha256 recorded, and the digests of named volumes (the model weights) so a release says exactly what ran.
 */
public final class ReleaseFiles {

    private ReleaseFiles() {
    }

    /**
     * Copies {@code paths} from {@code from} into {@code to}, keeping their relative paths.
     *
     * @return each copied file's path (with {@code /}) and its {@code sha256:} digest, sorted
     * @throws DeployException when a path escapes the working copy or does not exist
     */
    public static Map<String, String> copy(Path from, List<String> paths, Path to) throws IOException {
        Path base = from.toRealPath();
        Map<String, String> digests = new TreeMap<>();
        for (String p : paths) {
            Path src = base.resolve(p).normalize();
            if (!src.startsWith(base) || Path.of(p).isAbsolute()) {
                throw new DeployException("release file '" + p + "' is outside the working copy: list paths"
                        + " relative to the pipeline's directory, without '..'");
            }
            if (!Files.exists(src)) {
                throw new DeployException("release file '" + p + "' does not exist in the working copy: build it"
                        + " in an earlier step of the job, or attach it from the job that does");
            }
            if (!src.toRealPath().startsWith(base)) {
                throw new DeployException("release file '" + p + "' is a link to outside the working copy");
            }
            Files.walkFileTree(src, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(to.resolve(base.relativize(d).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    if (!f.toRealPath().startsWith(base)) {
                        throw new DeployException("release file '" + base.relativize(f)
                                + "' is a link to outside the working copy");
                    }
                    String rel = base.relativize(f).toString().replace('\\', '/');
                    Path target = to.resolve(rel);
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    digests.put(rel, "sha256:" + sha256(target));
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        return digests;
    }

    /**
     * The digest of a volume's content: sha256 over each file's relative path and sha256, in path order, so the
     * same weights give the same digest wherever they live. A missing volume is an empty one.
     */
    public static String volumeDigest(Path volume) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (Files.isDirectory(volume)) {
            Path real = volume.toRealPath();
            Files.walkFileTree(real, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) {
                        files.put(real.relativize(f).toString().replace('\\', '/'), sha256(f));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        MessageDigest md = sha();
        files.forEach((path, digest) -> {
            md.update(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(digest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) '\n');
        });
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    static String sha256(Path f) throws IOException {
        MessageDigest md = sha();
        try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

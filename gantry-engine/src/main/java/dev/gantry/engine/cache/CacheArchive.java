package dev.gantry.engine.cache;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The content of a cache: a zstd-compressed tar whose entries are {@code w/PATH} (relative to the working
 * directory) or {@code h/PATH} (relative to the home directory). Extraction is confined: absolute names,
 * {@code ..}, and links pointing outside their base are refused.
 */
public final class CacheArchive {

    private CacheArchive() {
    }

    /** An entry that would write outside where it belongs; nothing of a cache holding one is trusted. */
    public static final class HostileEntryException extends IOException {
        public HostileEntryException(String message) {
            super(message);
        }
    }

    /** Writes {@code paths} (relative, or {@code ~/...}); missing paths are skipped and returned. */
    public static List<String> write(OutputStream out, Path workDir, Path home, List<String> paths) throws IOException {
        List<String> missing = new java.util.ArrayList<>();
        try (ZstdOutputStream z = new ZstdOutputStream(out, 3);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(z)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (String p : paths) {
                boolean inHome = p.startsWith("~/");
                Path base = inHome ? home : workDir;
                Path start = base.resolve(inHome ? p.substring(2) : p).normalize();
                if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
                    missing.add(p);
                    continue;
                }
                try (Stream<Path> walk = Files.walk(start)) {
                    for (Path f : walk.toList()) {
                        add(tar, f, (inHome ? "h/" : "w/") + base.relativize(f));
                    }
                }
            }
            tar.finish();
        }
        return missing;
    }

    private static void add(TarArchiveOutputStream tar, Path f, String name) throws IOException {
        if (Files.isSymbolicLink(f)) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(f).toString());
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        } else if (Files.isDirectory(f)) {
            tar.putArchiveEntry(new TarArchiveEntry(f.toFile(), name + "/"));
            tar.closeArchiveEntry();
        } else if (Files.isRegularFile(f)) {
            TarArchiveEntry e = new TarArchiveEntry(f.toFile(), name);
            e.setMode(Files.isExecutable(f) ? 0100755 : 0100644);
            tar.putArchiveEntry(e);
            Files.copy(f, tar);
            tar.closeArchiveEntry();
        }
    }

    /** Extracts into the working and home directories; returns the number of files written. */
    public static int extract(InputStream in, Path workDir, Path home, String key) throws IOException {
        int files = 0;
        try (ZstdInputStream z = new ZstdInputStream(in); TarArchiveInputStream tar = new TarArchiveInputStream(z)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName();
                Path base = name.startsWith("w/") ? workDir : name.startsWith("h/") ? home : null;
                String rel = name.length() > 2 ? name.substring(2) : "";
                if (base == null || rel.startsWith("/") || List.of(rel.split("/")).contains("..")) {
                    throw new HostileEntryException("cache " + key + " holds the entry '" + name
                            + "', which would write outside its directory: restore refused");
                }
                Path target = base.resolve(rel).normalize();
                if (!target.startsWith(base)) {
                    throw new HostileEntryException("cache " + key + " holds the entry '" + name + "': restore refused");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    Path link = Path.of(e.getLinkName());
                    if (link.isAbsolute() || !target.getParent().resolve(link).normalize().startsWith(base)) {
                        throw new HostileEntryException("cache " + key + " holds a link '" + name + "' -> '"
                                + e.getLinkName() + "' pointing outside its directory: restore refused");
                    }
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, link);
                } else {
                    Files.createDirectories(target.getParent());
                    if (!target.getParent().toRealPath().startsWith(base.toRealPath())) {
                        throw new HostileEntryException("cache " + key + " would write '" + name
                                + "' through a link that leaves its directory: restore refused");
                    }
                    if (Files.isSymbolicLink(target)) {
                        Files.delete(target);
                    }
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if ((e.getMode() & 0100) != 0) {
                        target.toFile().setExecutable(true);
                    }
                    files++;
                }
            }
        }
        return files;
    }
}

package dev.gantry.engine.cache;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The content of a cache: a zstd-compressed tar whose entries are {@code w/PATH} (relative to the working
 * directory) or {@code h/PATH} (relative to the home directory). Symbolic links are archived as links, never
 * followed. Extraction is confined, and an archive it refuses changes nothing (see {@link ArchiveExtraction}).
 */
public final class CacheArchive {

    /** Reads and writes in large blocks: fewer system calls, and whole blocks for zstd's workers. */
    private static final int BUFFER = 1 << 20;
    private static final ThreadLocal<byte[]> COPY = ThreadLocal.withInitial(() -> new byte[BUFFER]);

    private CacheArchive() {
    }

    /**
     * zstd at level 3 (as {@code zstd -3}) with a worker per core (as {@code zstd -T0}), so that compressing keeps up
     * with reading the files.
     */
    private static ZstdOutputStream compressing(OutputStream out) throws IOException {
        ZstdOutputStream z = new ZstdOutputStream(new java.io.BufferedOutputStream(out, BUFFER), 3);
        z.setWorkers(Runtime.getRuntime().availableProcessors());
        return z;
    }

    /**
     * An entry that would write outside where it belongs, through a link, or over what it must not replace;
     * nothing of a cache holding one is restored.
     */
    public static final class HostileEntryException extends IOException {
        public HostileEntryException(String message) {
            super(message);
        }
    }

    /** Those of {@code paths} (relative, or {@code ~/...}) that do not exist; a link counts as existing. */
    public static List<String> missing(Path workDir, Path home, List<String> paths) {
        return paths.stream().filter(p -> !Files.exists(resolve(workDir, home, p), LinkOption.NOFOLLOW_LINKS))
                .toList();
    }

    private static Path resolve(Path workDir, Path home, String path) {
        return path.startsWith("~/") ? home.resolve(path.substring(2)).normalize() : workDir.resolve(path).normalize();
    }

    /** Writes {@code paths} (relative, or {@code ~/...}); missing paths are skipped and returned. */
    public static List<String> write(OutputStream out, Path workDir, Path home, List<String> paths) throws IOException {
        List<String> missing = new java.util.ArrayList<>();
        try (ZstdOutputStream z = compressing(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new java.io.BufferedOutputStream(z, BUFFER))) {
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
                        String rel = base.relativize(f).toString();
                        if (!rel.isEmpty()) {
                            add(tar, f, (inHome ? "h/" : "w/") + rel);
                        }
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
            try (InputStream in = Files.newInputStream(f)) {
                byte[] buf = COPY.get();
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    tar.write(buf, 0, n);
                }
            }
            tar.closeArchiveEntry();
        }
    }

    /**
     * Extracts an uncompressed tar whose entries are {@code w/PATH} into {@code workDir}, by the same rules as a
     * cache (confined, never through a link, nothing changed when refused); returns the number of files written.
     *
     * @param what names the archive in errors
     */
    public static int extractTar(InputStream tar, Path workDir, String what) throws IOException {
        return new ArchiveExtraction(workDir, workDir, what).run(tar);
    }

    /**
     * Extracts into the working and home directories; returns the number of files written. A refused archive
     * ({@link HostileEntryException}) changes nothing on disk; see {@link ArchiveExtraction} for the rules.
     */
    public static int extract(InputStream in, Path workDir, Path home, String key) throws IOException {
        try (ZstdInputStream z = new ZstdInputStream(new java.io.BufferedInputStream(in, BUFFER));
             InputStream ahead = new ReadAhead(z, BUFFER, 8)) {
            return new ArchiveExtraction(workDir, home, "cache " + key).run(ahead);
        }
    }
}

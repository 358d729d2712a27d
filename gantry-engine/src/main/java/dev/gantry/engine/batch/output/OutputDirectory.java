package dev.gantry.engine.batch.output;

import dev.gantry.core.batch.BatchSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

/**
 * The batch's output directory: answers land in it whole or not at all. Each is written under {@code .partial/},
 * synced, then renamed to {@code <id>.<ext>} (the directory synced before its result line is written), so a crash
 * leaves either the complete file or a temporary one that the next run clears.
 */
public final class OutputDirectory {

    public static final String PARTIAL = ".partial";
    public static final String LOCK = ".lock";

    private final Path dir;
    private final Path partial;

    public OutputDirectory(Path dir) {
        this.dir = dir;
        this.partial = dir.resolve(PARTIAL);
    }

    public Path path() {
        return dir;
    }

    /**
     * Creates the directory and takes its lock ({@code .lock}, held until closed): two runs writing one output at once
     * would each record the other's items, so the second is refused.
     *
     * @return null when another run holds the directory
     */
    public Lock lock() throws IOException {
        Files.createDirectories(dir);
        refuseLink(dir.resolve(LOCK), LOCK);
        FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        try {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                return new Lock(ch);
            }
        } catch (OverlappingFileLockException e) {
            // held by another run in this process
        }
        ch.close();
        return null;
    }

    /** The directory's lock, released (its file kept) when closed. */
    public static final class Lock implements AutoCloseable {

        private final FileChannel channel;

        private Lock(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * Clears {@code .partial/} of what a stopped run left. Refuses an output where {@code .partial}, {@code .lock} or
     * a journal file is a symbolic link: the batch deletes in {@code .partial/} and appends to the journal, and must
     * never do either to whatever a planted link points at. The directory itself may be a link: that is how a job's
     * volume is mounted, and everything the batch writes is inside it.
     */
    public void prepare() throws IOException {
        for (String name : List.of(PARTIAL, BatchSpec.RESULTS, BatchSpec.ERRORS, LOCK)) {
            refuseLink(dir.resolve(name), name);
        }
        Files.createDirectories(partial);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(partial)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static void refuseLink(Path path, String what) throws IOException {
        if (Files.isSymbolicLink(path)) {
            throw new IOException(what + " is a symbolic link (" + path + "); a batch writes only into a real"
                    + " directory of its own: remove the link");
        }
    }

    /** A fresh temporary file for one answer. */
    public Path newTemporary() {
        return partial.resolve(UUID.randomUUID() + ".tmp");
    }

    /**
     * Moves a synced temporary file to {@code <id>.<ext>}, replacing any earlier one. The directory is synced by the
     * journal before it writes the result line naming the file ({@link Journal#flush()}): until then a crash may
     * undo the rename, and the item, having no result line, is done again. The move is an atomic rename, which
     * replaces an entry of that name (a symbolic link included) and never writes through it; the temporary file is
     * in the same directory tree, so a file system that cannot rename atomically is an error, not a silent copy.
     */
    public String commit(Path temporary, String id, String ext) throws IOException {
        String name = id + "." + ext;
        Path target = dir.resolve(name);
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + temporary + " to " + target + " atomically: " + e.getMessage(), e);
        }
        return name;
    }

    /**
     * Removes the files a crashed run may have left for {@code id} (renamed, but its result line never written):
     * every {@code <id>.<ext>} of the known extensions but {@code keep}'s.
     */
    public void removeStale(String id, String keep) throws IOException {
        for (String ext : ContentTypes.ALL_EXTENSIONS) {
            if (!ext.equals(keep)) {
                Files.deleteIfExists(dir.resolve(id + "." + ext));
            }
        }
    }

    /** Deletes a temporary file an abandoned or failed attempt wrote. */
    public static void discard(Path temporary) {
        if (temporary != null) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // the next run clears .partial/
            }
        }
    }

    /** Makes a directory's entries (a rename) durable; a no-op where directories cannot be opened (Windows). */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }
}

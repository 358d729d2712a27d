package dev.gantry.engine.workspace;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Readers-writer locks on volumes, across the tasks of this process and across processes: a read-write lock per
 * volume inside the JVM, and a file lock (shared for readers, exclusive for a writer) that this JVM holds while any
 * of its tasks does, since a JVM may hold only one file lock per file.
 */
public final class VolumeLocks {

    private static final Map<Path, Volume> VOLUMES = new ConcurrentHashMap<>();

    private VolumeLocks() {
    }

    /** Held until closed. */
    public interface Handle extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    public static Handle acquire(Path lockFile, boolean write) throws IOException {
        Volume v = VOLUMES.computeIfAbsent(lockFile.toAbsolutePath().normalize(), Volume::new);
        return write ? v.write() : v.read();
    }

    private static final class Volume {

        private final Path file;
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
        private FileChannel channel;
        private FileLock fileLock;
        private int readers;

        Volume(Path file) {
            this.file = file;
        }

        Handle write() throws IOException {
            lock.writeLock().lock();
            try {
                take(false);
            } catch (IOException | RuntimeException e) {
                lock.writeLock().unlock();
                throw e;
            }
            return () -> {
                try {
                    drop();
                } finally {
                    lock.writeLock().unlock();
                }
            };
        }

        Handle read() throws IOException {
            lock.readLock().lock();
            try {
                synchronized (this) {
                    if (readers++ == 0) {
                        take(true);
                    }
                }
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    readers--;
                }
                lock.readLock().unlock();
                throw e;
            }
            return () -> {
                try {
                    synchronized (this) {
                        if (--readers == 0) {
                            drop();
                        }
                    }
                } finally {
                    lock.readLock().unlock();
                }
            };
        }

        private synchronized void take(boolean shared) throws IOException {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            fileLock = channel.lock(0, Long.MAX_VALUE, shared);
        }

        private synchronized void drop() throws IOException {
            if (fileLock != null) {
                fileLock.release();
                fileLock = null;
            }
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }
    }
}

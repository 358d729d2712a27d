package dev.gantry.engine.workspace;

import dev.gantry.engine.cancel.Cancellation;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Readers-writer locks on volumes, across the tasks of this process and across processes: a read-write lock per
 * volume inside the JVM, and a file lock (shared for readers, exclusive for a writer) that this JVM holds while any
 * of its tasks does, since a JVM may hold only one file lock per file.
 *
 * <p>Every wait gives up when the task's cancellation fires (a timeout, Ctrl-C, fail-fast), so a task queued
 * behind a volume can always be stopped. Callers that take several volumes take them in {@link #ORDER}, so two
 * tasks never wait on each other.
 */
public final class VolumeLocks {

    /** The one order in which a task takes its volumes' locks: by lock file, which is by volume name. */
    public static final java.util.Comparator<Path> ORDER = java.util.Comparator.naturalOrder();

    /** How often a waiting task looks at its cancellation and retries a file lock another process holds. */
    private static final long POLL_MS = 50;

    private static final Map<Path, Volume> VOLUMES = new ConcurrentHashMap<>();

    private VolumeLocks() {
    }

    /**
     * Where named volumes live: {@code $GANTRY_VOLUMES_DIR}, else {@code ~/.cache/gantry/volumes}; volume
     * {@code NAME} is the directory {@code NAME} in it, and its lock file {@code NAME.lock}.
     */
    public static Path root(Map<String, String> env) {
        String dir = env.get("GANTRY_VOLUMES_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache", "gantry", "volumes");
    }

    /** Held until closed. */
    public interface Handle extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /** Waits for the lock; empty when {@code cancel} fired first (nothing is then held). */
    public static Optional<Handle> acquire(Path lockFile, boolean write, Cancellation cancel) throws IOException {
        Volume v = VOLUMES.computeIfAbsent(lockFile.toAbsolutePath().normalize(), Volume::new);
        return write ? v.write(cancel) : v.read(cancel);
    }

    /** Takes {@code lock} unless {@code cancel} fires first. */
    private static boolean await(Lock lock, Cancellation cancel) {
        try {
            while (!cancel.isCancelled()) {
                if (lock.tryLock(POLL_MS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static final class Volume {

        private final Path file;
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
        /** Guards the fields below. */
        private final ReentrantLock state = new ReentrantLock();
        private FileChannel channel;
        private FileLock fileLock;
        private int readers;

        Volume(Path file) {
            this.file = file;
        }

        Optional<Handle> write(Cancellation cancel) throws IOException {
            if (!await(lock.writeLock(), cancel)) {
                return Optional.empty();
            }
            boolean taken = false;
            state.lock();
            try {
                taken = take(false, cancel);
            } finally {
                state.unlock();
                if (!taken) {
                    lock.writeLock().unlock();
                }
            }
            if (!taken) {
                return Optional.empty(); // cancelled while another process held the volume
            }
            return Optional.of(() -> {
                state.lock();
                try {
                    drop();
                } finally {
                    state.unlock();
                    lock.writeLock().unlock();
                }
            });
        }

        Optional<Handle> read(Cancellation cancel) throws IOException {
            if (!await(lock.readLock(), cancel)) {
                return Optional.empty();
            }
            boolean taken = false;
            try {
                if (!await(state, cancel)) {
                    return Optional.empty();
                }
                try {
                    taken = readers > 0 || take(true, cancel);
                    if (taken) {
                        readers++;
                    }
                } finally {
                    state.unlock();
                }
            } finally {
                if (!taken) {
                    lock.readLock().unlock();
                }
            }
            if (!taken) {
                return Optional.empty();
            }
            return Optional.of(() -> {
                state.lock();
                try {
                    if (--readers == 0) {
                        drop();
                    }
                } finally {
                    state.unlock();
                    lock.readLock().unlock();
                }
            });
        }

        /** Takes the file lock, polling while another process holds it; false when cancelled first. */
        private boolean take(boolean shared, Cancellation cancel) throws IOException {
            FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            try {
                while (true) {
                    FileLock l = c.tryLock(0, Long.MAX_VALUE, shared);
                    if (l != null) {
                        channel = c;
                        fileLock = l;
                        return true;
                    }
                    if (cancel.isCancelled()) {
                        c.close();
                        return false;
                    }
                    Thread.sleep(POLL_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.close();
                return false;
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }

        private void drop() throws IOException {
            try {
                if (fileLock != null) {
                    fileLock.release();
                }
            } finally {
                fileLock = null;
                if (channel != null) {
                    channel.close();
                    channel = null;
                }
            }
        }
    }
}

package dev.gantry.engine.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Caches as files in one local directory: {@code KEY.tar.zst} (the key URL-encoded), created by hard-linking a
 * fully written and synced temporary file, so an entry exists whole or not at all and the first of two racing
 * saves wins. A {@code KEY.used} file's time records the last restore for eviction. Both times come from the
 * store's clock, not the file system's, so that the order of saves and restores is what eviction and prefix
 * lookups see, however coarse the file system's timestamps are.
 */
public final class LocalCacheStore implements CacheStore {

    private static final String SUFFIX = ".tar.zst";
    private static final Duration STALE_TEMP = Duration.ofHours(1);

    private final Path dir;
    private final Clock clock;

    public LocalCacheStore(Path dir) throws IOException {
        this(dir, Clock.systemUTC());
    }

    public LocalCacheStore(Path dir, Clock clock) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.clock = clock;
        removeStaleTemporaries();
    }

    private Path archive(String key) {
        return dir.resolve(URLEncoder.encode(key, StandardCharsets.UTF_8) + SUFFIX);
    }

    private Path used(String key) {
        return dir.resolve(URLEncoder.encode(key, StandardCharsets.UTF_8) + ".used");
    }

    @Override
    public boolean contains(String key) {
        return Files.isRegularFile(archive(key));
    }

    @Override
    public Optional<String> newestWithPrefix(String prefix) {
        return keys().stream().filter(k -> k.startsWith(prefix)).max(Comparator.comparing(this::created));
    }

    private List<String> keys() {
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX) && !n.startsWith("."))
                    .forEach(n -> keys.add(URLDecoder.decode(n.substring(0, n.length() - SUFFIX.length()),
                            StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return List.of();
        }
        return keys;
    }

    private FileTime created(String key) {
        try {
            return Files.getLastModifiedTime(archive(key));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    @Override
    public Optional<Long> save(String key, Writer writer) throws IOException {
        if (contains(key)) {
            return Optional.empty();
        }
        Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 SyncingOutput out = new SyncingOutput(ch)) {
                writer.write(new KeepOpen(out));
                out.flush();
                out.awaitSyncs();
                ch.force(true); // only what the last background sync did not reach is left to write
            }
            Files.setLastModifiedTime(tmp, FileTime.from(clock.instant()));
            try {
                Files.createLink(archive(key), tmp);
            } catch (FileAlreadyExistsException e) {
                return Optional.empty();
            }
            return Optional.of(Files.size(archive(key)));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes to the archive's file and, every {@link #SYNC_EVERY} bytes, has a background thread sync what is
     * written so far: the disk writes while the archive is still being compressed, so that the final sync that
     * makes the save durable has little left to do.
     */
    private static final class SyncingOutput extends OutputStream {

        static final long SYNC_EVERY = 32L << 20;

        private final FileChannel channel;
        private final OutputStream out;
        private final java.util.concurrent.ExecutorService syncer = java.util.concurrent.Executors
                .newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "cache-sync");
                    t.setDaemon(true);
                    return t;
                });
        private java.util.concurrent.Future<?> pending;
        private long unsynced;

        SyncingOutput(FileChannel channel) {
            this.channel = channel;
            this.out = java.nio.channels.Channels.newOutputStream(channel);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            unsynced += len;
            if (unsynced >= SYNC_EVERY && (pending == null || pending.isDone())) {
                unsynced = 0;
                pending = syncer.submit(() -> {
                    channel.force(false);
                    return null;
                });
            }
        }

        /** Waits for a background sync in progress; its failure is the save's. */
        void awaitSyncs() throws IOException {
            if (pending != null) {
                try {
                    pending.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while syncing a cache archive");
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            }
        }

        @Override
        public void close() {
            syncer.shutdownNow();
        }
    }

    /** Lets a writer close its compressing streams without closing the file before it is synced. */
    private static final class KeepOpen extends java.io.FilterOutputStream {

        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        Path used = used(key);
        if (!Files.exists(used)) {
            Files.createFile(used);
        }
        Files.setLastModifiedTime(used, FileTime.from(clock.instant()));
        return Files.newInputStream(archive(key));
    }

    @Override
    public long size(String key) throws IOException {
        return Files.size(archive(key));
    }

    /** The bytes of every cache it holds. */
    public long totalSize() throws IOException {
        long total = 0;
        for (String k : keys()) {
            total += size(k);
        }
        return total;
    }

    @Override
    public void evictToFit(long limitBytes) throws IOException {
        List<String> keys = new ArrayList<>(keys());
        keys.sort(Comparator.comparing(this::lastUse));
        long total = 0;
        for (String k : keys) {
            total += size(k);
        }
        for (String k : keys) {
            if (total <= limitBytes) {
                break;
            }
            total -= size(k);
            Files.deleteIfExists(archive(k));
            Files.deleteIfExists(used(k));
        }
    }

    private FileTime lastUse(String key) {
        FileTime created = created(key);
        try {
            FileTime used = Files.getLastModifiedTime(used(key));
            return used.compareTo(created) > 0 ? used : created;
        } catch (IOException e) {
            return created;
        }
    }

    /**
     * Temporary files older than an hour belong to saves that were killed: they are never entries. Their times are
     * the file system's (a save in progress writes to them), so the file system's time judges them.
     */
    private void removeStaleTemporaries() throws IOException {
        Instant before = Instant.now().minus(STALE_TEMP);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(before)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

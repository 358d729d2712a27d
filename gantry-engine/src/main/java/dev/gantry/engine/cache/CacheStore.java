package dev.gantry.engine.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Named, immutable cache archives shared by every task and build. Every implementation passes
 * {@code CacheStoreContract}.
 */
public interface CacheStore {

    /** Writes an archive's bytes. */
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    boolean contains(String key);

    /** The newest key starting with {@code prefix}. */
    Optional<String> newestWithPrefix(String prefix);

    /**
     * Stores what {@code writer} writes under {@code key}, all or nothing: a save that fails or is killed halfway
     * leaves no entry. Returns the stored size, or empty when the key already existed (keys are immutable).
     */
    Optional<Long> save(String key, Writer writer) throws IOException;

    /** Reads a stored archive and counts it as used. */
    InputStream open(String key) throws IOException;

    long size(String key) throws IOException;

    /** Removes the least recently used entries until all together take at most {@code limitBytes}. */
    void evictToFit(long limitBytes) throws IOException;
}

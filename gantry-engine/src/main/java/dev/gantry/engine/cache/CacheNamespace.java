package dev.gantry.engine.cache;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Which caches a step sees. Every pipeline has its own, so that one repository's pipeline cannot plant an archive
 * that another restores by prefix; caches saved as shared are one namespace that any pipeline may opt into, on
 * both sides. Namespaces are prefixes of the keys in the one store, so eviction still weighs all caches together.
 */
public record CacheNamespace(String prefix) {

    /** Long names are shortened with a digest, so that a stored key stays a valid file name. */
    private static final int MAX_NAME = 100;

    public static final CacheNamespace SHARED = new CacheNamespace("shared/");

    /** The namespace of the pipeline called {@code name}: on the server its registered name. */
    public static CacheNamespace pipeline(String name) {
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8);
        if (encoded.length() > MAX_NAME) {
            encoded = encoded.substring(0, MAX_NAME - 17) + "~" + sha256(name).substring(0, 16);
        }
        return new CacheNamespace("pipeline/" + encoded + "/");
    }

    /** The shared namespace when {@code shared}, else the pipeline's. */
    public static CacheNamespace of(String pipelineName, boolean shared) {
        return shared ? SHARED : pipeline(pipelineName);
    }

    /** {@code store} seen from this namespace: keys go in and come out without the prefix. */
    public CacheStore view(CacheStore store) {
        return new CacheStore() {
            @Override
            public boolean contains(String key) {
                return store.contains(prefix + key);
            }

            @Override
            public Optional<String> newestWithPrefix(String keyPrefix) {
                return store.newestWithPrefix(prefix + keyPrefix).map(k -> k.substring(prefix.length()));
            }

            @Override
            public Optional<Long> save(String key, Writer writer) throws IOException {
                return store.save(prefix + key, writer);
            }

            @Override
            public InputStream open(String key) throws IOException {
                return store.open(prefix + key);
            }

            @Override
            public long size(String key) throws IOException {
                return store.size(prefix + key);
            }

            @Override
            public void evictToFit(long limitBytes) throws IOException {
                store.evictToFit(limitBytes);
            }
        };
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

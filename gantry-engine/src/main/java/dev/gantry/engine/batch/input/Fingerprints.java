package dev.gantry.engine.batch.input;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * A set of item ids, compared ignoring case, kept as 64-bit fingerprints (the first eight bytes of each id's SHA-256)
 * in an open-addressing table of {@code long}s: about 8 to 16 bytes per id and no object per id, so a batch of a
 * million lines tracks its seen and finished ids in a few tens of megabytes of a small heap.
 *
 * <p>Two different ids share a fingerprint with probability about n²/2⁶⁵ for n ids: 3·10⁻⁸ for a million, 3·10⁻⁶
 * for ten million. Such a collision would make the second id read as a duplicate (or as already done); at those odds
 * the batch accepts it rather than keep every id.
 *
 * <p>Ids that differ only in case ({@code A1}, {@code a1}) are one id here: they name one output file on a
 * case-insensitive file system (macOS, Windows), where exactly once would otherwise break. Ids are ASCII
 * ({@link ItemIds}), so lower-casing in {@link Locale#ROOT} folds them exactly. Not thread-safe.
 */
public final class Fingerprints {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    });

    /** Zero marks an empty slot; the fingerprint zero itself is remembered apart. */
    private long[] table = new long[1024];
    private int size;
    private boolean hasZero;

    /** The fingerprint of an id, the same for every casing of it. */
    public static long of(String id) {
        byte[] d = SHA256.get().digest(id.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        return v;
    }

    /** Adds the id; false when it (or a colliding id) was there already. */
    public boolean add(String id) {
        return addFingerprint(of(id));
    }

    public boolean contains(String id) {
        long fp = of(id);
        if (fp == 0) {
            return hasZero;
        }
        int mask = table.length - 1;
        for (int i = slot(fp, mask); ; i = (i + 1) & mask) {
            if (table[i] == 0) {
                return false;
            }
            if (table[i] == fp) {
                return true;
            }
        }
    }

    public int size() {
        return size;
    }

    private boolean addFingerprint(long fp) {
        if (fp == 0) {
            if (hasZero) {
                return false;
            }
            hasZero = true;
            size++;
            return true;
        }
        if ((size + 1) * 10L > table.length * 7L) {
            grow();
        }
        if (!insert(table, fp)) {
            return false;
        }
        size++;
        return true;
    }

    private void grow() {
        long[] bigger = new long[table.length * 2];
        for (long fp : table) {
            if (fp != 0) {
                insert(bigger, fp);
            }
        }
        table = bigger;
    }

    private static boolean insert(long[] t, long fp) {
        int mask = t.length - 1;
        for (int i = slot(fp, mask); ; i = (i + 1) & mask) {
            if (t[i] == 0) {
                t[i] = fp;
                return true;
            }
            if (t[i] == fp) {
                return false;
            }
        }
    }

    private static int slot(long fp, int mask) {
        return (int) (fp ^ (fp >>> 32)) & mask;
    }
}

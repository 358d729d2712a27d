package dev.gantry.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret values with AES-256-GCM so the database holds none in clear. The key lives outside the database:
 * {@code GANTRY_SECRET_KEY} (base64 of 32 bytes) when set, else a key file in the server's data directory,
 * created with a random key and owner-only permissions on first use. Each value is bound to its scope and name,
 * so a sealed value copied onto another row does not open.
 */
public final class SecretCipher {

    /** The key file's name in the data directory. */
    public static final String KEY_FILE = "secret.key";

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a secret key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /**
     * The key from {@code base64Key} (GANTRY_SECRET_KEY) when given, else from {@code dataDir}'s key file, which
     * is created on first use. Two servers or threads creating it at once end with the same key.
     */
    public static SecretCipher load(Path dataDir, String base64Key) throws IOException {
        if (base64Key != null && !base64Key.isBlank()) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(base64Key.trim());
            } catch (IllegalArgumentException e) {
                throw new IOException("GANTRY_SECRET_KEY is not base64: generate one with: openssl rand -base64 32");
            }
            if (key.length != KEY_BYTES) {
                throw new IOException("GANTRY_SECRET_KEY holds " + key.length + " bytes, not " + KEY_BYTES
                        + ": generate one with: openssl rand -base64 32");
            }
            return new SecretCipher(key);
        }
        Path file = dataDir.resolve(KEY_FILE);
        if (!Files.exists(file)) {
            create(file);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException("the secret key file " + file + " is not base64 of " + KEY_BYTES + " bytes");
        }
        if (key.length != KEY_BYTES) {
            throw new IOException("the secret key file " + file + " holds " + key.length + " bytes, not " + KEY_BYTES);
        }
        return new SecretCipher(key);
    }

    /** Writes a new random key beside the file, owner-only from the start, then links it into place atomically. */
    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path tmp = Files.createTempFile(file.getParent(), KEY_FILE, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException e) {
            // someone else created it first: theirs is the key
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The value sealed for {@code scope} (a pipeline, or null for global) and {@code name}. */
    public String seal(String scope, String name, String value) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(scope, name));
            byte[] sealed = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /** The value {@link #seal} sealed; fails when the key or the scope and name differ from the sealing ones. */
    public String open(String scope, String name, String sealed) throws SecretException {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(aad(scope, name));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretException("secret '" + name + "'" + (scope == null ? "" : " of pipeline " + scope)
                    + " cannot be decrypted with this server's key: was GANTRY_SECRET_KEY or "
                    + KEY_FILE + " changed? Set the secret again");
        }
    }

    private static byte[] aad(String scope, String name) {
        return ((scope == null ? "" : scope) + "\0" + name).getBytes(StandardCharsets.UTF_8);
    }

    /** A secret that cannot be opened or stored; its message never contains a value. */
    public static final class SecretException extends Exception {
        public SecretException(String message) {
            super(message);
        }
    }
}

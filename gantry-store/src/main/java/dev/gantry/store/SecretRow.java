package dev.gantry.store;

import java.time.Instant;

/**
 * One stored secret, its value still sealed (see {@link SecretCipher}): the store never holds a value in clear.
 *
 * @param pipeline the pipeline it belongs to, or null for a global secret every pipeline sees
 * @param sealed   the value as {@link SecretCipher#seal} wrote it
 */
public record SecretRow(String pipeline, String name, String sealed, Instant updatedAt) {

    public boolean isGlobal() {
        return pipeline == null;
    }
}

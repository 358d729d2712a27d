package dev.gantry.store;

import java.util.List;
import java.util.Optional;

/** Sealed secrets, global ({@code pipeline} null) or one pipeline's. Values go in and out sealed, never in clear. */
public interface SecretRepository {

    /** Stores the secret, replacing one of the same scope and name. */
    void save(SecretRow secret);

    Optional<SecretRow> find(String pipeline, String name);

    /** The secrets of one scope (null: the global ones), by name. */
    List<SecretRow> list(String pipeline);

    /** Removes it; returns whether it existed. */
    boolean delete(String pipeline, String name);
}

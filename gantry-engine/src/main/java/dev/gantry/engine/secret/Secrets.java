package dev.gantry.engine.secret;

import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.engine.event.BuildListener;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The secret values one build may use, by name, and the masker that hides them. Never prints a value, not even
 * from {@link #toString()}, since settings holding it end up in messages.
 */
public final class Secrets {

    public static final Secrets NONE = new Secrets(Map.of());

    private final Map<String, String> values;
    private final SecretMasker masker;

    private Secrets(Map<String, String> values) {
        this.values = Map.copyOf(values);
        this.masker = SecretMasker.of(values.values());
    }

    public static Secrets of(Map<String, String> values) {
        return values.isEmpty() ? NONE : new Secrets(values);
    }

    public Set<String> names() {
        return values.keySet();
    }

    /** Resolves a reference to its value (null for a name not held here). */
    public Function<SecretRef, String> resolver() {
        return ref -> values.get(ref.name());
    }

    public SecretMasker masker() {
        return masker;
    }

    /** {@code listener} seeing every event with these secrets masked. */
    public BuildListener masking(BuildListener listener) {
        return masker.isEmpty() ? listener : new MaskingListener(masker, listener);
    }

    @Override
    public String toString() {
        return "Secrets" + new TreeMap<>(values).keySet();
    }
}

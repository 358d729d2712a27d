package dev.gantry.store;

import dev.gantry.core.secret.SecretRules;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Secrets as the server uses them: values sealed on the way into the store and opened only for a build that
 * references them; a pipeline's own secret shadows a global one of the same name. Lists carry names, never values.
 */
public final class SecretVault {

    private final SecretRepository repository;
    private final SecretCipher cipher;

    public SecretVault(SecretRepository repository, SecretCipher cipher) {
        this.repository = repository;
        this.cipher = cipher;
    }

    /** What a list shows of a secret. @param pipeline null for a global secret */
    public record Entry(String name, String pipeline, Instant updatedAt) {
        public String scope() {
            return pipeline == null ? "global" : "pipeline";
        }
    }

    /** Stores (or replaces) a secret; refuses a bad name or a value too short to mask, saying why. */
    public Entry set(String pipeline, String name, String value, Instant now) throws SecretCipher.SecretException {
        Optional<String> problem = SecretRules.problem(name, value);
        if (problem.isPresent()) {
            throw new SecretCipher.SecretException(problem.get());
        }
        repository.save(new SecretRow(pipeline, name, cipher.seal(pipeline, name, value), now));
        return new Entry(name, pipeline, now);
    }

    /** The secrets of one scope: a pipeline's own, or (null) the global ones. */
    public List<Entry> list(String pipeline) {
        return repository.list(pipeline).stream().map(r -> new Entry(r.name(), r.pipeline(), r.updatedAt())).toList();
    }

    /** What {@code pipeline} sees: its own secrets and the global ones it does not shadow, by name. */
    public List<Entry> visibleTo(String pipeline) {
        Map<String, Entry> seen = new TreeMap<>();
        list(null).forEach(e -> seen.put(e.name(), e));
        list(pipeline).forEach(e -> seen.put(e.name(), e));
        return List.copyOf(seen.values());
    }

    public boolean remove(String pipeline, String name) {
        return repository.delete(pipeline, name);
    }

    /**
     * The values of {@code names} as {@code pipeline} sees them; names with no secret are left out, for the
     * caller to report.
     */
    public Map<String, String> values(String pipeline, Collection<String> names) throws SecretCipher.SecretException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : names) {
            Optional<SecretRow> row = pipeline == null ? Optional.empty() : repository.find(pipeline, name);
            if (row.isEmpty()) {
                row = repository.find(null, name);
            }
            if (row.isPresent()) {
                out.put(name, cipher.open(row.get().pipeline(), name, row.get().sealed()));
            }
        }
        return out;
    }
}

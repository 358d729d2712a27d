package dev.gantry.core.load;

import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.core.pipeline.Value;
import dev.gantry.core.secret.SecretRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code env} mapping wherever one is accepted (pipeline, job, run step, service): each value is text, or
 * {@code {secret: NAME}} for a secret's value.
 */
final class EnvParser {

    static final List<String> SECRET = List.of("secret");

    private EnvParser() {
    }

    static Optional<Map<String, Value>> env(YNode node) {
        if (node == null || node.isNull()) {
            return Optional.of(Map.of());
        }
        return node.mapping(null).map(entries -> {
            Map<String, Value> out = new LinkedHashMap<>();
            entries.forEach((k, v) -> {
                if (!Patterns.ENV_NAME.matcher(k).matches()) {
                    v.problem("invalid name '" + k + "': " + Patterns.ENV_RULE);
                } else if (v.isNull()) {
                    out.put(k, Value.of(""));
                } else if (v.isMapping()) {
                    secret(v).ifPresent(ref -> out.put(k, ref));
                } else {
                    v.text().ifPresent(val -> out.put(k, Value.of(val)));
                }
            });
            return out;
        });
    }

    /** {@code {secret: NAME}}, the only mapping an env value may be. */
    static Optional<SecretRef> secret(YNode v) {
        return secret(v, "an env value is text or {secret: NAME}");
    }

    /**
     * A value that may be a secret wherever one is accepted besides {@code env} (a notification's URL, an SMTP
     * password): text, or {@code {secret: NAME}}; {@code what} names it in the error for anything else.
     */
    static Optional<Value> value(YNode v, String what) {
        if (v.isMapping()) {
            return secret(v, what + " is text or {secret: NAME}").map(r -> r);
        }
        return v.nonBlank().map(Value::of);
    }

    private static Optional<SecretRef> secret(YNode v, String rule) {
        return v.mapping(SECRET).flatMap(keys -> {
            YNode name = keys.get("secret");
            if (name == null) {
                if (v.writtenKeyCount() == keys.size()) {
                    v.problem(rule);
                }
                return Optional.empty();
            }
            return name.nonBlank().flatMap(n -> {
                Optional<String> problem = SecretRules.nameProblem(n);
                if (problem.isPresent()) {
                    name.problem(problem.get());
                    return Optional.empty();
                }
                return Optional.of(new SecretRef(n, name.location(), v.path()));
            });
        });
    }
}

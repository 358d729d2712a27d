package dev.gantry.core.pipeline;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A configured value that is either written in the pipeline or a reference to a secret kept elsewhere
 * ({@code {secret: hf-token}}). Used for {@code env} today and meant for every place that takes a URL, a token
 * or a password, so a secret never has to be written into a pipeline file.
 */
public sealed interface Value permits Value.Literal, SecretRef {

    /** The text to use, asking {@code secrets} for a referenced secret's value. */
    String resolve(Function<SecretRef, String> secrets);

    /** What a person may see of it: the text, or the secret's name, never its value. */
    String describe();

    static Value of(String text) {
        return new Literal(text);
    }

    /** Plain text, written in the pipeline file. */
    record Literal(String text) implements Value {

        public Literal {
            java.util.Objects.requireNonNull(text, "text");
        }

        @Override
        public String resolve(Function<SecretRef, String> secrets) {
            return text;
        }

        @Override
        public String describe() {
            return text;
        }
    }

    /** Each entry of {@code values} resolved. */
    static Map<String, String> resolveAll(Map<String, Value> values, Function<SecretRef, String> secrets) {
        return values.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().resolve(secrets), (a, b) -> b, java.util.LinkedHashMap::new));
    }

    /** Plain texts as values, for code that builds definitions by hand. */
    static Map<String, Value> literals(Map<String, String> texts) {
        return texts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> of(e.getValue()),
                (a, b) -> b, java.util.LinkedHashMap::new));
    }
}

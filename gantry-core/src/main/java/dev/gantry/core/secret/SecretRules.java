package dev.gantry.core.secret;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a secret's name and value must be, wherever one is given ({@code gantry secret set}, the API,
 * {@code gantry run --secret}). Short values are refused because masking them would hide ordinary words in
 * every log (and a value that short is guessable anyway), the reason GitLab refuses them too.
 */
public final class SecretRules {

    /** The fewest characters a value may have. */
    public static final int MIN_LENGTH = 8;

    /** The most bytes a value may have (certificates and keys fit; whole files do not belong here). */
    public static final int MAX_BYTES = 4096;

    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    public static final String NAME_RULE = "use letters, digits, '_', '.' and '-', starting with a letter or digit,"
            + " at most 128 characters";

    private SecretRules() {
    }

    /** Why {@code name} cannot name a secret, if it cannot. */
    public static Optional<String> nameProblem(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.of("invalid secret name '" + name + "': " + NAME_RULE);
        }
        return Optional.empty();
    }

    /** Why {@code value} cannot be secret {@code name}'s value, if it cannot. Never quotes the value. */
    public static Optional<String> valueProblem(String name, String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("secret '" + name + "' is empty");
        }
        if (value.codePointCount(0, value.length()) < MIN_LENGTH) {
            return Optional.of("secret '" + name + "' is shorter than " + MIN_LENGTH + " characters: a value that"
                    + " short cannot be masked in logs without hiding ordinary text, and is easy to guess;"
                    + " use a longer one");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("secret '" + name + "' is longer than " + MAX_BYTES + " bytes");
        }
        return Optional.empty();
    }

    /** Why this name and value cannot be stored, if they cannot. */
    public static Optional<String> problem(String name, String value) {
        return nameProblem(name).or(() -> valueProblem(name, value));
    }
}

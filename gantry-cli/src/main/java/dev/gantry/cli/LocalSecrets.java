package dev.gantry.cli;

import dev.gantry.core.secret.SecretRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The secrets {@code gantry run --secret} gives a local build: {@code NAME=@FILE} reads a file,
 * {@code NAME=env:VAR} an environment variable. A value is never written on the command line itself, where
 * {@code ps} and shell history would show it.
 */
final class LocalSecrets {

    private LocalSecrets() {
    }

    /** Each option's name and value; throws {@link Invalid} naming the first bad one (never quoting a value). */
    static Map<String, String> read(List<String> options, Map<String, String> env) throws Invalid {
        Map<String, String> values = new LinkedHashMap<>();
        for (String option : options) {
            int eq = option.indexOf('=');
            String name = eq < 0 ? option : option.substring(0, eq);
            Optional<String> badName = SecretRules.nameProblem(name);
            if (eq < 0 || badName.isPresent()) {
                throw new Invalid("--secret " + name + ": " + badName.orElse("write NAME=@FILE or NAME=env:VAR"));
            }
            String source = option.substring(eq + 1);
            String value;
            if (source.startsWith("@")) {
                value = file(name, Path.of(source.substring(1)));
            } else if (source.startsWith("env:")) {
                value = env.get(source.substring(4));
                if (value == null) {
                    throw new Invalid("--secret " + name + ": the environment variable " + source.substring(4)
                            + " is not set");
                }
            } else {
                throw new Invalid("--secret " + name + ": write NAME=@FILE or NAME=env:VAR; a value on the command"
                        + " line would show in ps and in shell history");
            }
            Optional<String> problem = SecretRules.valueProblem(name, value);
            if (problem.isPresent()) {
                throw new Invalid("--secret " + name + ": " + problem.get());
            }
            if (values.put(name, value) != null) {
                throw new Invalid("--secret " + name + " is given twice");
            }
        }
        return values;
    }

    /** A file's text without the one line break an editor or {@code echo} leaves at its end. */
    private static String file(String name, Path file) throws Invalid {
        try {
            return withoutFinalNewline(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new Invalid("--secret " + name + ": " + file + " does not exist");
        } catch (IOException e) {
            throw new Invalid("--secret " + name + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    static String withoutFinalNewline(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** A {@code --secret} option that cannot be used. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }
}

package dev.gantry.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the gantry command in-process and captures what it prints. */
final class CliFixture {

    record Outcome(int exitCode, String out, String err) {
    }

    static Outcome gantry(String... args) {
        return gantry("", Map.of(), args);
    }

    /** With these variables set besides {@code PATH}. */
    static Outcome gantryWithEnv(Map<String, String> env, String... args) {
        return gantry("", env, args);
    }

    /** With this text on standard input. */
    static Outcome gantryWithInput(String stdin, String... args) {
        return gantry(stdin, Map.of(), args);
    }

    private static Outcome gantry(String stdin, Map<String, String> extraEnv, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("PATH", System.getenv("PATH"));
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env, false).execute(args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private CliFixture() {
    }
}

package dev.gantry.docker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command on this machine (docker, ip, iptables, runc) and returns its exit code and merged output, so the
 * Docker fixtures can drive the host the way a person at a shell would, with a time limit and no orphans.
 */
public final class HostCommand {

    /** What a command did: its exit code (-1 when it could not start or ran out of time) and its output. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The last non-empty line of the output, for one-line messages. */
        public String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1].strip();
        }
    }

    private HostCommand() {
    }

    public static Result run(List<String> command) {
        return run(command, Map.of(), Duration.ofMinutes(2));
    }

    public static Result run(List<String> command, Map<String, String> environment, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("gantry-cmd", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return new Result(-1, command.get(0) + ": " + e.getMessage());
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                return new Result(-1, read(out) + "\n" + String.join(" ", command) + ": still running after " + timeout);
            }
            return new Result(process.exitValue(), read(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** Whether an executable of this name is on the PATH (or in /usr/sbin and /sbin, where root's tools live). */
    public static boolean installed(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/local/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}

package dev.gantry.docker.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The gate in front of every Docker test: without a Docker engine the test is reported skipped with the reason
 * (never passed), and with one the example images it runs in are built first, once per JVM, by
 * {@code examples/images/build} (a local {@code docker import}; nothing is pulled).
 */
public final class DockerAvailable {

    /** The engine the tests use: the machine's default socket, whatever DOCKER_HOST says. */
    public static final String URL = "unix:///var/run/docker.sock";

    private static final Path SOCKET = Path.of("/var/run/docker.sock");
    private static String unavailable;
    private static boolean checked;
    private static String imagesFailure;
    private static boolean imagesBuilt;

    private DockerAvailable() {
    }

    /** Skips the calling test, saying why, when no Docker engine answers at {@link #URL}. */
    public static void assume() {
        String reason = unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "no Docker engine at " + URL + ": " + reason);
    }

    /**
     * Builds the example images (gantry-example/base:1, gantry-example/jre:1) unless present, once per JVM; skips
     * like {@link #assume()} without Docker, and fails the test with the script's output when the build fails.
     */
    public static synchronized void images() {
        assume();
        if (!imagesBuilt && imagesFailure == null) {
            Path script = repositoryRoot().resolve("examples/images/build");
            HostCommand.Result result =
                HostCommand.run(List.of(script.toString()), Map.of("DOCKER_HOST", URL), Duration.ofMinutes(5));
            if (result.ok()) {
                imagesBuilt = true;
            } else {
                imagesFailure = script + " failed (exit " + result.exitCode() + "):\n" + result.output();
            }
        }
        if (imagesFailure != null) {
            fail(imagesFailure);
        }
    }

    /** The checkout this test runs in: the nearest directory at or above the working directory holding mvnw. */
    public static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no mvnw at or above " + start + ": run the tests from the Gantry checkout");
    }

    private static synchronized String unavailableReason() {
        if (!checked) {
            unavailable = probe();
            checked = true;
        }
        return unavailable;
    }

    private static String probe() {
        if (!Files.exists(SOCKET)) {
            return SOCKET + " does not exist (start dockerd, or run .ci/run as root)";
        }
        if (!HostCommand.installed("docker")) {
            return "the docker CLI is not installed (Debian: apt-get install docker.io)";
        }
        HostCommand.Result version = HostCommand.run(
            List.of("docker", "-H", URL, "version", "--format", "{{.Server.Version}}"), Map.of(), Duration.ofSeconds(60));
        return version.ok() ? null : "docker version failed: " + version.lastLine();
    }
}

package dev.gantry.docker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The second Docker engine the several-hosts tests rely on: it runs beside the main one and leaves nothing behind. */
class SecondDaemonTest {

    private static final String IMAGE = "gantry-example/base:1";

    @BeforeEach
    void dockerAndImages() {
        DockerAvailable.assume();
        DockerAvailable.images();
    }

    @Test
    void runsContainersOnItsOwnNetworksBesideTheMainEngineAndLeavesNothingWhenStopped() {
        boolean mainBridge = HostCommand.run(List.of("ip", "link", "show", "docker0")).ok();
        SecondDaemon daemon = SecondDaemon.start();
        Path dir;
        try (daemon) {
            dir = Path.of(daemon.url().substring("unix://".length())).getParent();
            daemon.load(IMAGE);

            assertThat(daemon.docker("network", "create", "gantry-d2-test").ok()).isTrue();
            String subnet = daemon.docker("network", "inspect", "gantry-d2-test", "--format",
                "{{(index .IPAM.Config 0).Subnet}}").output().strip();
            assertThat(subnet).startsWith(daemon.addressPool().substring(0, daemon.addressPool().indexOf(".0.0/")) + ".");
            HostCommand.Result web = daemon.docker("run", "-d", "--name", "web", "--network", "gantry-d2-test", IMAGE,
                "sh", "-c", "mkdir -p /w && echo served-by-d2 > /w/index.html && exec httpd -f -p 8080 -h /w");
            assertThat(web.ok()).as(web.output()).isTrue();
            // busybox-static's wget crashes with -T; the client loops until the server listens
            HostCommand.Result client = daemon.docker("run", "--rm", "--network", "gantry-d2-test", IMAGE, "sh", "-c",
                "for i in $(seq 100); do wget -q -O- http://web:8080/index.html && exit 0; sleep 0.2; done; exit 1");
            assertThat(client.output()).as("a container reaches another by name on a network of the second daemon")
                .contains("served-by-d2");
            HostCommand.Result defaultNetwork = daemon.docker("run", "--rm", IMAGE, "echo", "default-bridge");
            assertThat(defaultNetwork.output()).contains("default-bridge");

            HostCommand.Result main = HostCommand.run(List.of("docker", "-H", DockerAvailable.URL, "run", "--rm", IMAGE,
                "echo", "main-engine"));
            assertThat(main.output()).as("the main engine keeps working beside the second").contains("main-engine");
            assertThat(HostCommand.run(List.of("docker", "-H", DockerAvailable.URL, "ps", "-a", "--format", "{{.Names}}"))
                .output()).doesNotContain("web");
        }
        assertNothingLeft(dir, daemon);
        assertThat(HostCommand.run(List.of("ip", "link", "show", "docker0")).ok())
            .as("the main engine's docker0 is untouched").isEqualTo(mainBridge);
    }

    @Test
    void aKilledDaemonStopsAnsweringAndItsRunningContainersAreRemovedOnStop() {
        SecondDaemon daemon = SecondDaemon.start();
        Path dir = Path.of(daemon.url().substring("unix://".length())).getParent();
        try (daemon) {
            daemon.load(IMAGE);
            HostCommand.Result sleeper = daemon.docker("run", "-d", IMAGE, "sleep", "3600");
            assertThat(sleeper.ok()).as(sleeper.output()).isTrue();
            String id = sleeper.output().strip();

            daemon.kill();

            assertThat(daemon.docker("version").ok()).as("a killed daemon does not answer").isFalse();
            assertThat(processesInCgroupOf(id)).as("the container outlives its killed daemon until stop").isNotEmpty();
            daemon.stop();
            assertThat(processesInCgroupOf(id)).as("stop removes the orphaned container").isEmpty();
        }
        assertNothingLeft(dir, daemon);
    }

    @Test
    void twoSecondDaemonsGetDistinctAddressPools() {
        try (SecondDaemon one = SecondDaemon.start(); SecondDaemon two = SecondDaemon.start()) {
            assertThat(one.addressPool()).isNotEqualTo(two.addressPool());
            assertThat(one.url()).isNotEqualTo(two.url());
            assertThat(one.docker("network", "create", "n").ok()).isTrue();
            assertThat(two.docker("network", "create", "n").ok()).isTrue();
        }
    }

    @Test
    void aDaemonLeftByAKilledTestJvmIsRemovedByTheNextStart() {
        SecondDaemon.assumeSupported();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        HostCommand.Result orphan = HostCommand.run(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
            OrphanDaemonMain.class.getName(), IMAGE), Map.of(), Duration.ofMinutes(3));
        assertThat(orphan.exitCode()).as(orphan.output()).isZero();
        String url = line(orphan.output(), "URL ");
        String container = line(orphan.output(), "CONTAINER ");
        Path leftover = Path.of(url.substring("unix://".length())).getParent();
        assertThat(HostCommand.run(List.of("docker", "-H", url, "version")).ok())
            .as("the orphaned daemon outlives its JVM").isTrue();
        assertThat(processesInCgroupOf(container)).isNotEmpty();

        try (SecondDaemon next = SecondDaemon.start()) {
            assertThat(leftover).doesNotExist();
            assertThat(HostCommand.run(List.of("docker", "-H", url, "version")).ok()).isFalse();
            assertThat(processesInCgroupOf(container)).isEmpty();
            assertThat(commandLines()).noneMatch(c -> c.contains(leftover + "/"));
            assertThat(DaemonScrub.readOrEmpty(Path.of("/proc/self/mountinfo"))).doesNotContain(leftover + "/");
            assertThat(next.docker("version").ok()).isTrue();
        }
    }

    private static String line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).strip())
            .findFirst().orElseThrow(() -> new AssertionError("no '" + prefix + "' line in:\n" + output));
    }

    private static void assertNothingLeft(Path dir, SecondDaemon daemon) {
        assertThat(dir).doesNotExist();
        String namespace = dir.getFileName().toString();
        assertThat(DaemonScrub.readOrEmpty(Path.of("/proc/self/mountinfo"))).doesNotContain(dir + "/");
        assertThat(commandLines()).noneMatch(c -> c.contains(dir + "/") || c.contains("-namespace\0" + namespace + "\0"));
        String pool = daemon.addressPool().substring(0, daemon.addressPool().indexOf(".0.0/"));
        assertThat(HostCommand.run(List.of("ip", "-o", "-4", "addr", "show")).output()).doesNotContain(" " + pool + ".");
        assertThat(HostCommand.run(List.of("iptables", "-S", "FORWARD")).output()).doesNotContain(dir.toString());
    }

    private static List<String> commandLines() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                .map(p -> DaemonScrub.readOrEmpty(p.resolve("cmdline"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> processesInCgroupOf(String containerId) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                .filter(p -> DaemonScrub.readOrEmpty(p.resolve("cgroup")).contains(containerId))
                .map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.gantry.server;

import dev.gantry.engine.deploy.LaunchRecord;
import dev.gantry.engine.deploy.ReleaseProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the deploy tests share: a pipeline whose deploy job runs {@link ReleasedService} on a stable port, a way to
 * ask the live release for its pid, and the cleanup that stops every release a test left running (by the marker
 * in its launch record, as the engine stops it).
 */
final class DeployedReleases {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private DeployedReleases() {
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A pipeline deploying {@link ReleasedService} to {@code production} on {@code port}, its monitor probing every
     * 200 ms with {@code failure_threshold: 3}, monitor events posted to {@code hooks} (a webhook at
     * {@code /webhook}, Slack's format at {@code /slack}).
     */
    static String pipeline(int port, Path unhealthyFlag, String restart, String onFailure, HookReceiver hooks) {
        return pipeline(port, unhealthyFlag, restart, onFailure, """
                  - webhook: {url: "%s", on: [monitor_failed, monitor_recovered]}
                  - slack: {url: "%s", on: [monitor_failed, monitor_recovered]}
                """.formatted(hooks.url("/webhook"), hooks.url("/slack")));
    }

    /** The same with {@code channels}: the lines under {@code notify:}, indented by two spaces. */
    static String pipeline(int port, Path unhealthyFlag, String restart, String onFailure, String channels) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return """
                name: tts
                environments:
                  production: {when: {branches: [main]}}
                notify:
                %sjobs:
                  deploy:
                    deploy:
                      environment: auto
                      service:
                        command: %s -cp %s %s --port {{ port }} --unhealthy-while %s
                        port: %d
                        ready: {http: {path: /health/ready}, startup_timeout: 2m}
                        stop: {signal: TERM, grace_period: 5s}
                        restart: %s
                      monitor:
                        http: /health/ready
                        period: 200ms
                        failure_threshold: 3
                        on_failure: %s
                """.formatted(channels, java, testClasses(), ReleasedService.class.getName(), unhealthyFlag, port,
                restart, onFailure);
    }

    /** {@code yaml} (one of {@link #pipeline}'s) with a gate running {@code script}, a bash script, in the deploy. */
    static String withGate(String yaml, String script) {
        String block = script.lines().map(l -> "            " + l + "\n").reduce("", String::concat);
        return yaml.replace("      monitor:\n", "      gate:\n        - run: |\n" + block + "      monitor:\n");
    }

    private static String testClasses() {
        try {
            return Path.of(ReleasedService.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pid of whatever answers on the port, or -1 when nothing does. */
    static long pid(int port) {
        String pid = get(port, "/pid");
        return pid == null ? -1 : Long.parseLong(pid.trim());
    }

    /** The number of the release answering on the port (from its directory), or -1 when nothing does. */
    static int release(int port) {
        String cwd = get(port, "/cwd");
        return cwd == null ? -1 : Integer.parseInt(Path.of(cwd).getFileName().toString());
    }

    private static String get(int port, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** How many {@link ReleasedService} processes serve (or were started for) the port. */
    static long processes(int port) {
        return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains(ReleasedService.class.getName()) && c.contains("--port " + port + " "))
                .count();
    }

    /** The blue_green proxies serving environments under the data directory. */
    static List<ProcessHandle> proxies(Path dataDir) {
        String under = dataDir.resolve("environments").toAbsolutePath() + "/";
        return ProcessHandle.allProcesses().filter(p -> {
            String command = commandLine(p);
            return command.contains("SwitchProxy") && command.contains(under);
        }).toList();
    }

    /** The whole command line ({@code ProcessHandle.Info} cuts a long one short), or "" once it has ended. */
    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Stops every release under the data directory's environments, whatever its status. */
    static void stopAll(Path dataDir) {
        Path root = dataDir.resolve("environments");
        if (!Files.isDirectory(root)) {
            return;
        }
        // blue_green proxies too: by their command line (naming this data directory), not by their marker, which
        // names only the pipeline and environment and so would match another test's proxy
        proxies(dataDir).forEach(p -> {
                    p.destroy();
                    p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> {
                        p.destroyForcibly();
                        return p;
                    }).join();
                });
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> records = files.filter(p -> p.getFileName().toString().equals(LaunchRecord.FILE)).toList();
            for (Path r : records) {
                ReleaseProcesses.stop(LaunchRecord.read(r.getParent()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.gantry.engine.deploy;

import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.run.TaskKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where one environment of one pipeline keeps its releases on disk:
 * {@code <root>/<pipelineKey>/<environment>/releases/<N>/}, its deploy lock and its proxy's files. One place names
 * these paths so the deploy, the CLI and the server's supervisor agree on them.
 */
public record EnvironmentDirectory(Path dir, String pipeline, String environment) {

    public static EnvironmentDirectory of(Path root, String pipeline, String environment) {
        String env = TaskKeys.key(environment).replace("..", "_");
        Path dir = root.resolve(BuildInfo.pipelineKey(pipeline)).resolve(env.isEmpty() ? "_" : env);
        return new EnvironmentDirectory(dir, pipeline, environment);
    }

    /** The safe path segment of the pipeline, first part of every release's marker. */
    public String pipelineKey() {
        return BuildInfo.pipelineKey(pipeline);
    }

    public Path releases() {
        return dir.resolve("releases");
    }

    public Path release(int number) {
        return releases().resolve(Integer.toString(number));
    }

    /** Held while a deploy, rollback or stop changes the environment (across processes). */
    public Path lockFile() {
        return dir.resolve("deploy.lock");
    }

    /** The port the blue/green proxy forwards new connections to. */
    public Path upstreamFile() {
        return dir.resolve("proxy.upstream");
    }

    /** What the proxy reports: the upstream it uses and the connections open to each upstream. */
    public Path proxyStateFile() {
        return dir.resolve("proxy.state");
    }

    public Path proxyLog() {
        return dir.resolve("proxy.log");
    }

    /**
     * The environment entry that marks the proxy's process: the pipeline and environment, and a digest of this
     * directory's real path, so two state directories with the same pipeline and environment names on one machine
     * (two checkouts, a server and a {@code gantry run}) never take each other's proxy for their own.
     */
    public String proxyMarker() {
        Path where;
        try {
            where = dir.toRealPath();
        } catch (java.io.IOException e) {
            where = dir.toAbsolutePath().normalize();
        }
        String digest;
        try {
            digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(where.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        return "GANTRY_PROXY_ID=" + pipelineKey() + "/" + dir.getFileName() + "/" + digest;
    }

    /** The release numbers that still have a directory, newest first. */
    public List<Integer> releaseNumbers() throws IOException {
        List<Integer> numbers = new ArrayList<>();
        if (!Files.isDirectory(releases())) {
            return numbers;
        }
        try (Stream<Path> s = Files.list(releases())) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{1,9}"))
                    .forEach(n -> numbers.add(Integer.parseInt(n)));
        }
        numbers.sort(java.util.Comparator.reverseOrder());
        return numbers;
    }
}

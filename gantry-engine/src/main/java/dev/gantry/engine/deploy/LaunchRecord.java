package dev.gantry.engine.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.ProbeDef;
import dev.gantry.engine.record.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How to start a release's process again without its build: {@code release.json} in the release's directory. The
 * server's supervisor restarts and adopts releases from it. It holds the service's environment with secrets
 * resolved, so it is written with mode 0600.
 *
 * @param releaseId   {@code <pipelineKey>/<environment>/<N>/<uuid>}; the process carries
 *                    {@code GANTRY_RELEASE_ID=<releaseId>} in its environment, which is how it is found and stopped
 * @param template    the service's command with {@code {{ release_dir }}} filled in, {@code {{ port }}} not yet
 * @param command     the command as started: {@code template} with the port filled in
 * @param strategy    the strategy of the deploy that made it ({@code replace} or {@code blue_green})
 * @param stablePort  the environment's stable port (where the proxy listens under {@code blue_green})
 * @param port        the port the process listens on
 * @param ready       the readiness probe, or null (ready once started)
 * @param container   where and from which image it runs as a container; null for a local process
 */
public record LaunchRecord(String releaseId, String pipeline, String environment, int number, String template,
                           String command, List<String> shell, Map<String, String> env, String directory,
                           String strategy, int stablePort, int port, String stopSignal, Duration grace,
                           ProbeDef ready, Container container) {

    /**
     * A release that runs as a container: on which Docker host, from which image (pinned to the image's id when it
     * was deployed, so a rollback or a restart runs the very image it was gated with, whatever its tag says now).
     *
     * @param host     the Docker host's name
     * @param hostUrl  its engine's URL ({@code unix://}, {@code tcp://}, {@code ssh://}), so that any Gantry
     *                 process (a rollback from the CLI, the server's supervisor) reaches it from the record alone
     * @param tls      the directory of its TLS client certificates, or null
     * @param address  where its port is reached from Gantry's machine ({@code 127.0.0.1} for a local engine)
     * @param image    the image as the pipeline named it
     * @param imageId  the image's id ({@code sha256:...}) when it was deployed
     * @param user     the user it runs as inside ({@code uid:gid} or a name)
     * @param sshConfig the OpenSSH client configuration an {@code ssh://} host is reached with, or null
     * @param mounts   directories mounted at the same paths besides the release's own (the volumes' root)
     */
    public record Container(String host, String hostUrl, String tls, String sshConfig, String address, String image,
                            String imageId, String user, List<String> mounts) {

        public Container {
            mounts = mounts == null ? List.of() : List.copyOf(mounts);
        }
    }

    public static final String FILE = "release.json";
    public static final String MARKER_KEY = "GANTRY_RELEASE_ID";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public LaunchRecord {
        shell = List.copyOf(shell);
        env = Map.copyOf(env);
    }

    /** The environment entry every process of this release carries (written to {@code release.json} too). */
    @com.fasterxml.jackson.annotation.JsonProperty("marker")
    public String marker() {
        return MARKER_KEY + "=" + releaseId;
    }

    /** Where its port is reached from Gantry's machine. */
    public String address() {
        return container == null ? "127.0.0.1" : container.address();
    }

    public boolean blueGreen() {
        return DeployDef.Strategy.BLUE_GREEN.yamlName().equals(strategy);
    }

    /** The same release started on {@code p}: the command and {@code PORT} say so. */
    public LaunchRecord onPort(int p) {
        String text = Integer.toString(p);
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("PORT", text);
        return new LaunchRecord(releaseId, pipeline, environment, number, template, fill(template, p), shell, e,
                directory, strategy, stablePort, p, stopSignal, grace, ready, container);
    }

    /** The same release, started by {@code s}'s rules from now on. */
    public LaunchRecord withStrategy(String s, int stable) {
        return new LaunchRecord(releaseId, pipeline, environment, number, template, command, shell, env, directory,
                s, stable, port, stopSignal, grace, ready, container);
    }

    static String fill(String template, int port) {
        String p = Integer.toString(port);
        return template.replace("{{ port }}", p).replace("{{port}}", p);
    }

    public void write(Path releaseDir) throws IOException {
        AtomicFiles.writePrivate(releaseDir.resolve(FILE), JSON.writeValueAsBytes(this));
    }

    public static LaunchRecord read(Path releaseDir) throws IOException {
        return JSON.readValue(releaseDir.resolve(FILE).toFile(), LaunchRecord.class);
    }
}

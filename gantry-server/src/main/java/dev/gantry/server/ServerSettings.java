package dev.gantry.server;

import dev.gantry.core.pipeline.Retention;
import dev.gantry.engine.scheduler.EngineSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How a server runs.
 *
 * @param dataDir    mirrors of the repositories, each build's record, logs and artifacts
 * @param bind       the address to listen on (127.0.0.1 by default: nothing outside the machine reaches it)
 * @param port       0 for any free port
 * @param maxBuilds  most builds running at once; the rest queue
 * @param pools      what the executor offers jobs' {@code uses} (detected GPUs, {@code --pool})
 * @param engine     how each build's tasks run
 * @param checkEvery how often a pipeline's repository is polled unless it says otherwise
 * @param token      the token every request must carry (see {@code TokenAuth}); null to let anyone in
 * @param secretKey  the key secrets are sealed with, base64 ({@code GANTRY_SECRET_KEY}); null to keep one in
 *                   {@code dataDir}
 * @param releaseContainers runs the releases of deploys whose service names an image; null without Docker
 * @param minFree    what the disk guard keeps free on the data directory's disk before each build
 * @param keep       how long builds' logs, artifacts and telemetry are kept where a pipeline's {@code retention}
 *                   does not say ({@code --keep-builds}, {@code --keep-days}); {@link Retention#FOREVER} by default
 */
public record ServerSettings(Path dataDir, String bind, int port, int maxBuilds, Map<String, Integer> pools,
                             EngineSettings engine, Duration checkEvery, String token, String secretKey,
                             dev.gantry.engine.deploy.ReleaseContainers releaseContainers,
                             dev.gantry.server.disk.MinFree minFree, Retention keep) {

    public static final Duration CHECK_EVERY = Duration.ofMinutes(1);

    public ServerSettings(Path dataDir, String bind, int port, int maxBuilds, Map<String, Integer> pools,
                          EngineSettings engine, Duration checkEvery) {
        this(dataDir, bind, port, maxBuilds, pools, engine, checkEvery, null, null, null,
                dev.gantry.server.disk.MinFree.DEFAULT, Retention.FOREVER);
    }

    public ServerSettings withToken(String newToken) {
        return new ServerSettings(dataDir, bind, port, maxBuilds, pools, engine, checkEvery, newToken, secretKey,
                releaseContainers, minFree, keep);
    }

    /** The same settings with builds run by {@code e} (the server hands them its environments this way). */
    public ServerSettings withEngine(EngineSettings e) {
        return new ServerSettings(dataDir, bind, port, maxBuilds, pools, e, checkEvery, token, secretKey,
                releaseContainers, minFree, keep);
    }

    public ServerSettings withSecretKey(String base64Key) {
        return new ServerSettings(dataDir, bind, port, maxBuilds, pools, engine, checkEvery, token, base64Key,
                releaseContainers, minFree, keep);
    }

    /** The same settings with deploys whose service names an image run as containers through {@code c}. */
    public ServerSettings withReleaseContainers(dev.gantry.engine.deploy.ReleaseContainers c) {
        return new ServerSettings(dataDir, bind, port, maxBuilds, pools, engine, checkEvery, token, secretKey, c,
                minFree, keep);
    }

    /** The same settings with the disk guard keeping {@code m} free on the data directory's disk. */
    public ServerSettings withMinFree(dev.gantry.server.disk.MinFree m) {
        return new ServerSettings(dataDir, bind, port, maxBuilds, pools, engine, checkEvery, token, secretKey,
                releaseContainers, m, keep);
    }

    /** The same settings keeping builds' data by {@code r} where a pipeline's {@code retention} does not say. */
    public ServerSettings withKeep(Retention r) {
        return new ServerSettings(dataDir, bind, port, maxBuilds, pools, engine, checkEvery, token, secretKey,
                releaseContainers, minFree, r);
    }

    /** Key material never appears in messages that print the settings. */
    @Override
    public String toString() {
        return "ServerSettings[dataDir=" + dataDir + ", bind=" + bind + ", port=" + port + ", maxBuilds=" + maxBuilds
                + ", pools=" + pools + ", checkEvery=" + checkEvery + ", keep=" + keep
                + ", token=" + (token == null ? "none" : "***")
                + ", secretKey=" + (secretKey == null ? "file" : "***") + "]";
    }

    public ServerSettings {
        pools = Map.copyOf(pools);
        keep = keep == null ? Retention.FOREVER : keep;
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the token is empty");
        }
        if (maxBuilds < 1) {
            throw new IllegalArgumentException("at least one build must be allowed to run");
        }
    }
}

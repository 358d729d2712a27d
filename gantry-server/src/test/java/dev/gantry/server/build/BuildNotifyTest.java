package dev.gantry.server.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.core.notify.Delivery;
import dev.gantry.engine.notify.Notifier;
import dev.gantry.engine.notify.WebhookChannel;
import dev.gantry.engine.scheduler.EngineSettings;
import dev.gantry.engine.serial.SerialGates;
import dev.gantry.record.LogHub;
import dev.gantry.server.ServerLog;
import dev.gantry.server.ServerSettings;
import dev.gantry.server.git.GitMirror;
import dev.gantry.server.git.Mirrors;
import dev.gantry.server.metrics.ServerMetrics;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.SecretCipher;
import dev.gantry.store.SecretVault;
import dev.gantry.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server build's failure reaches a real webhook receiver, signed with a key from the server's secrets. */
class BuildNotifyTest {

    private static final String KEY = "server-hook-key-4e7a";

    @TempDir
    Path tmp;
    private Store store;
    private Notifier notifier;
    private HttpServer receiver;
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    private final List<String> signatures = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            bodies.add(exchange.getRequestBody().readAllBytes());
            signatures.add(exchange.getRequestHeaders().getFirst("X-Gantry-Signature-256"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        store = Store.embedded(tmp.resolve("data/db"));
        notifier = new Notifier(store.deliveries(), m -> { });
    }

    @AfterEach
    void stop() {
        notifier.close();
        store.close();
        receiver.stop(0);
    }

    @Test
    void aFailedBuildIsSentWithItsSecretsReadFromTheVault() throws Exception {
        Path repo = tmp.resolve("repo");
        String sha;
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve("gantry.yml"), """
                    notify:
                      - webhook: {url: {secret: hook-url}, secret: {secret: hook-key}, on: [build_failed]}
                    jobs:
                      a:
                        steps:
                          - run: exit 1
                    """);
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("Ada", "ada@example.com");
            sha = git.commit().setMessage("a").setAuthor(who).setCommitter(who).call().name();
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("GANTRY_CACHE_DIR", tmp.resolve("caches").toString());
        ServerSettings settings = new ServerSettings(tmp.resolve("data"), "127.0.0.1", 0, 1, Map.of("gpu", 0),
                new EngineSettings(2, false, env, Clock.systemUTC()), Duration.ofSeconds(1));
        PipelineRow pipeline = new PipelineRow("p", repo.toString(), "gantry.yml", "main", Duration.ofHours(1), null,
                Instant.now());
        store.pipelines().save(pipeline);
        Mirrors mirrors = new Mirrors(settings.dataDir().resolve("repos"));
        mirrors.of(pipeline).fetch();
        SecretVault vault = new SecretVault(store.secrets(), new SecretCipher(new byte[32]));
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/abc-private-path";
        vault.set("p", "hook-url", url, Instant.now());
        vault.set(null, "hook-key", KEY, Instant.now());
        LogHub logs = new LogHub(store.logs());

        try (AutoCloseable flusher = logs.flushEvery(Duration.ofMillis(100));
             BuildQueue queue = new BuildQueue(store, vault, logs, mirrors, settings, new SerialGates(),
                     new ServerMetrics(), new ServerLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8),
                     Clock.systemUTC()), notifier)) {
            queue.enqueue(new BuildQueue.Request(pipeline, new GitMirror.CommitInfo(sha, "Ada", "a"), "main", null,
                    "manual"));
            await().atMost(Duration.ofMinutes(2)).until(() -> store.deliveries().recent("p", 10).stream()
                    .anyMatch(d -> d.status().equals("delivered")));
        }

        assertThat(bodies).hasSize(1);
        String body = new String(bodies.get(0), StandardCharsets.UTF_8);
        assertThat(body).contains("\"event\":\"build_failed\"", "\"pipeline\":\"p\"", "\"build\":1");
        assertThat(signatures.get(0)).isEqualTo(WebhookChannel.signature(KEY, bodies.get(0)));
        Delivery d = store.deliveries().recent("p", 10).get(0);
        assertThat(d.target()).isEqualTo("127.0.0.1:" + receiver.getAddress().getPort());
        assertThat(d.toString()).doesNotContain("abc-private-path").doesNotContain(KEY);
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).doesNotContain("abc-private-path");
    }
}

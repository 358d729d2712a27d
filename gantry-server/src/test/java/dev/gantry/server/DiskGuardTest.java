package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.cache.LocalCacheStore;
import dev.gantry.server.disk.MinFree;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk guard on a small real file system (a 64 MiB tmpfs the test mounts, as root): a build on a nearly full
 * disk succeeds once the guard removed a crashed build's working copy and old caches; when nothing expendable
 * is left it is refused up front with the reason, and nothing else on the disk is touched.
 */
class DiskGuardTest {

    @TempDir
    Path tmp;
    Path disk;

    @BeforeEach
    void mount() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        disk = Files.createDirectories(tmp.resolve("disk"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64m", "gantry-disk-test", disk.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "cannot mount a tmpfs: " + out);
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void fill(Path file, int mib) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < mib; i++) {
                out.write(block);
            }
        }
    }

    private ServerFixture server(Path data) {
        return new ServerFixture(ServerFixture.settings(data, 1, 0).withMinFree(MinFree.parse("24m").orElseThrow()));
    }

    private void commit(GitRepo repo) {
        repo.commit("gantry.yml", "jobs:\n  hello:\n    steps: [{run: echo hello from a full disk}]\n", "hello");
    }

    @Test
    void aBuildOnANearlyFullDiskRunsAfterTheGuardRemovedExpendableData() throws Exception {
        Path data = disk.resolve("data");
        fill(data.resolve("builds/deadbeef0001/work/big.bin"), 16); // a working copy a crash left behind
        LocalCacheStore caches = new LocalCacheStore(data.resolve("caches"));
        Path cached = tmp.resolve("cached.bin");
        fill(cached, 12);
        caches.save("old", out -> Files.copy(cached, out));
        fill(data.resolve("keep/release.bin"), 14); // not the guard's to remove
        assertThat(Files.getFileStore(data).getUsableSpace()).isLessThan(24L << 20);

        try (GitRepo repo = new GitRepo(tmp.resolve("repo")); ServerFixture server = server(data)) {
            commit(repo);
            server.addPipeline(repo.dir(), "full", "1h", null);
            assertThat(server.awaitBuild("full", 1, Duration.ofMinutes(2)).path("build").path("status").asText())
                    .isEqualTo("succeeded");
            assertThat(data.resolve("builds/deadbeef0001/work")).doesNotExist();
            assertThat(data.resolve("keep/release.bin")).exists();
            assertThat(server.log()).contains("disk guard:", "removed working copies left by crashed builds");
        }
    }

    @Test
    void oldBuildsLoseTheirArtifactsOldestFirstButAPinnedBuildAndTheNewestKeepTheirs() throws Exception {
        Path data = disk.resolve("data");
        try (GitRepo repo = new GitRepo(tmp.resolve("repo")); ServerFixture server = server(data)) {
            repo.commit("gantry.yml", """
                    jobs:
                      weights:
                        steps:
                          - run: echo making weights; mkdir -p out; head -c 7000000 /dev/urandom > out/w.bin
                          - artifacts: {paths: [out/w.bin], name: weights}
                    """, "weights");
            server.addPipeline(repo.dir(), "full", "1h", null);
            for (int n = 1; n <= 3; n++) {
                if (n > 1) {
                    server.post("/api/pipelines/full/builds", "");
                }
                assertThat(server.awaitBuild("full", n, Duration.ofMinutes(2)).path("build").path("status").asText())
                        .isEqualTo("succeeded");
            }
            server.put("/api/pipelines/full/builds/1/pin", "");
            long free = Files.getFileStore(data).getUsableSpace();
            fill(data.resolve("keep/other.bin"), (int) ((free - (20L << 20)) >> 20)); // about 20 MiB left, under 24
            server.post("/api/pipelines/full/builds", "");
            assertThat(server.awaitBuild("full", 4, Duration.ofMinutes(2)).path("build").path("status").asText())
                    .isEqualTo("succeeded");

            assertThat(server.get("/api/pipelines/full/builds/2").json().path("pruned_at").isNull())
                    .as("the oldest build that is not pinned lost its data").isFalse();
            assertThat(server.get("/api/pipelines/full/builds/2/artifacts").json()).isEmpty();
            assertThat(server.get("/api/pipelines/full/builds/1").json().path("pruned_at").isNull()).as("pinned")
                    .isTrue();
            assertThat(server.get("/api/pipelines/full/builds/1/artifacts").json()).hasSize(1);
            assertThat(server.get("/api/pipelines/full/builds/1/logs/weights").body()).contains("making weights");
            assertThat(server.get("/api/pipelines/full/builds/4/artifacts").json()).hasSize(1);
            assertThat(server.log()).contains("disk guard:", "removed the logs, artifacts and telemetry of the oldest"
                    + " builds full #2");
            assertThat(data.resolve("keep/other.bin")).exists();
        }
    }

    @Test
    void withNothingExpendableLeftTheBuildIsRefusedUpFrontWithTheReason() throws Exception {
        Path data = disk.resolve("data");
        fill(data.resolve("keep/weights.bin"), 46);
        try (GitRepo repo = new GitRepo(tmp.resolve("repo")); ServerFixture server = server(data)) {
            commit(repo);
            server.addPipeline(repo.dir(), "full", "1h", null);
            var build = server.awaitBuild("full", 1, Duration.ofMinutes(2));
            assertThat(build.path("build").path("status").asText()).isEqualTo("errored");
            String log = server.get("/api/pipelines/full/builds/1/logs/setup").body();
            assertThat(log).contains("refused before it started", "the disk guard keeps (--min-free)",
                    "nothing expendable");
            assertThat(data.resolve("keep/weights.bin")).exists();
            assertThat(server.log()).contains("build full #1 refused");
        }
    }
}

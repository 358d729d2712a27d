package dev.gantry.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseStatus;
import dev.gantry.store.BuildRow;
import dev.gantry.store.Keeping;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What may lose its data, on a real store: never a running build, a pinned one, one already pruned, the build of a
 * live release, nor (for the disk guard) a pipeline's newest build; the oldest go first, across pipelines.
 */
class BuildPrunerTest {

    private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path tmp;

    private static BuildRow build(String pipeline, long number, boolean ended, Instant started) {
        return new BuildRow(pipeline + number, pipeline, number, "gantry.yml", "d", "c" + number, "main", null, null,
                null, "poll", ended ? "succeeded" : "running", started, ended ? started.plusSeconds(30) : null,
                List.of());
    }

    @Test
    void keepsRunningPinnedLiveAndNewestBuildsAndOffersTheRestOldestFirst() throws Exception {
        try (Store store = Store.embedded(tmp.resolve("db"))) {
            for (String p : List.of("tts", "asr")) {
                store.pipelines().save(new PipelineRow(p, "/srv/" + p, "gantry.yml", "main", Duration.ofMinutes(1),
                        null, T));
            }
            for (int n = 1; n <= 5; n++) {
                store.builds().save(build("tts", n, n != 4, T.plus(Duration.ofHours(n * 2L))));
            }
            store.builds().save(build("asr", 1, true, T.plus(Duration.ofHours(1))));
            store.builds().save(build("asr", 2, true, T.plus(Duration.ofHours(3))));
            store.builds().pin("tts3", true);
            Release live = store.releases().create(new Release("tts", "production", 0, 2, "c2", "main", null, "poll",
                    Map.of(), Map.of(), 7860, ReleaseStatus.DEPLOYING, T, null, null, null));
            store.releases().update(live.withStatus(ReleaseStatus.LIVE, T, null));
            Path logs = Files.createDirectories(tmp.resolve("data/builds/tts1/logs"));
            Files.writeString(logs.resolve("unit.log"), "x".repeat(1000));
            Files.writeString(tmp.resolve("data/builds/tts1/build.json"), "{}");
            store.logs().append("tts1", "unit", "hello\n");

            BuildPruner pruner = new BuildPruner(store, tmp.resolve("data"), Clock.fixed(T.plus(Duration.ofDays(9)),
                    java.time.ZoneOffset.UTC));
            assertThat(pruner.liveReleaseBuilds("tts")).containsExactly(2L);
            List<Keeping> offered = pruner.oldestExpendable();
            assertThat(offered).extracting(k -> k.pipeline() + " #" + k.number())
                    .as("tts #2 is live, #3 pinned, #4 running, #5 and asr #2 the newest")
                    .containsExactly("asr #1", "tts #1");

            assertThat(pruner.prune(offered.get(1))).isEqualTo(1000);
            assertThat(tmp.resolve("data/builds/tts1/logs")).doesNotExist();
            assertThat(tmp.resolve("data/builds/tts1/build.json")).exists();
            assertThat(store.logs().lineCount("tts1", "unit")).isZero();
            assertThat(store.builds().keepingOf("tts1").orElseThrow().prunedAt()).isEqualTo(T.plus(Duration.ofDays(9)));
            assertThat(pruner.oldestExpendable()).extracting(Keeping::number).as("pruned once").containsExactly(1L);
            assertThat(pruner.oldestExpendable().get(0).pipeline()).isEqualTo("asr");
        }
    }
}

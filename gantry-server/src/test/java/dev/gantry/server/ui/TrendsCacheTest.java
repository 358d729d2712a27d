package dev.gantry.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.server.trends.History;
import dev.gantry.store.BuildRow;
import dev.gantry.store.ResultRows;
import dev.gantry.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trends are made again exactly when the pipeline's last builds changed, on a real store. */
class TrendsCacheTest {

    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path tmp;

    private static BuildRow build(long n, String status, BuildRow.TaskRow... tasks) {
        return new BuildRow("b" + n, "tts", n, "gantry.yml", "d", "c" + n, "main", null, null, null, "poll", status,
                T.plusSeconds(n * 60), status.equals("running") ? null : T.plusSeconds(n * 60 + 30), List.of(tasks));
    }

    private static BuildRow.TaskRow task(String name, boolean ended) {
        return new BuildRow.TaskRow(name, name, ended ? "succeeded" : "running", 1, T, ended ? T.plusSeconds(5)
                : null, ended ? 5000L : null, null);
    }

    @Test
    void aNewBuildATaskThatEndsAndABuildThatEndsEachMakeTheTrendsAgain() {
        try (Store store = Store.embedded(tmp.resolve("db"))) {
            TrendsCache cache = new TrendsCache(store, tmp.resolve("data"));
            store.builds().save(build(1, "succeeded", task("unit", true)));
            store.results().addTests("b1", List.of(new ResultRows.TestRow("unit", "s", "a.B", "t", "PASSED", 1.0,
                    null)));
            Trends.View first = cache.of("tts", store.builds().list("tts", null, 0, History.WINDOW));
            assertThat(cache.of("tts", store.builds().list("tts", null, 0, History.WINDOW))).as("nothing changed").isSameAs(first);

            store.builds().save(build(2, "running", task("unit", false), task("lint", false)));
            Trends.View queued = cache.of("tts", store.builds().list("tts", null, 0, History.WINDOW));
            assertThat(queued).isNotSameAs(first);
            assertThat(queued.builds()).isEqualTo(2);
            store.builds().saveTask("b2", task("lint", true));
            Trends.View taskEnded = cache.of("tts", store.builds().list("tts", null, 0, History.WINDOW));
            assertThat(taskEnded).isNotSameAs(queued);
            assertThat(taskEnded.jobs()).extracting(Trends.JobFigures::job).contains("lint");
            store.builds().save(build(2, "failed"));
            Trends.View ended = cache.of("tts", store.builds().list("tts", null, 0, History.WINDOW));
            assertThat(ended).isNotSameAs(taskEnded);
            assertThat(ended.passRate().percent()).isEqualTo(50);
            assertThat(cache.of("tts", store.builds().list("tts", null, 0, History.WINDOW))).isSameAs(ended);
        }
    }
}

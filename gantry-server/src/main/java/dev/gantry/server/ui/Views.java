package dev.gantry.server.ui;

import dev.gantry.server.http.PipelineView;
import dev.gantry.store.BatchRow;
import dev.gantry.store.BuildRow;
import dev.gantry.store.Keeping;
import dev.gantry.store.ResultRows;
import dev.gantry.store.StepRow;
import java.util.List;
import java.util.Map;

/** What each page template is given. */
public final class Views {

    private Views() {
    }

    public record PipelinesPage(List<PipelineView> pipelines, Map<String, String> checkErrors) {
    }

    /** @param trends the pipeline's last builds' trends and flaky tests */
    public record PipelinePage(String pipeline, String repository, String branch, List<BuildRow> builds, long total,
                               int offset, int limit, Trends.View trends) {
    }

    /**
     * @param shards for each job split into shards: each shard's predicted and actual seconds
     */
    /**
     * @param keeping whether the build is pinned, and when retention removed its data
     * @param flaky   the tests that showed themselves flaky in this build (failed, then passed on a retry or a
     *                rebuild of the same commit), with how
     */
    public record BuildPage(BuildRow build, String dagSvg, Map<String, List<StepRow>> steps,
                            List<ResultRows.TestRow> slowest, int testCount, long failedTests,
                            List<ShardTime> shards, Map<String, String> charts, List<ResultRows.ArtifactRow> artifacts,
                            List<ResultRows.CacheRow> caches, List<BatchView> batches, Keeping keeping,
                            Map<dev.gantry.server.trends.TestKey, String> flaky) {
        public boolean running() {
            return !build.hasEnded();
        }

        /** How the test showed itself flaky in this build ({@code retry}, {@code rebuild}), or null. */
        public String flakyHow(ResultRows.TestRow t) {
            return flaky.get(dev.gantry.server.trends.TestKey.of(t));
        }
    }

    /**
     * A batch step on the build page.
     *
     * @param histogramSvg its latency histogram as an SVG chart, or null until it ends
     */
    public record BatchView(BatchRow row, String histogramSvg) {

        /** Items ended, in this run or an earlier one (resumed past): what the progress bar fills. */
        public long ended() {
            return row.done() + row.skipped();
        }

        public String rate() {
            return String.format(java.util.Locale.ROOT, "%.1f items/s", row.perSecond());
        }

        public String percent() {
            return row.total() > 0 ? String.format(java.util.Locale.ROOT, "%.0f%%", 100.0 * ended() / row.total())
                    : "";
        }
    }

    public record ShardTime(String job, String task, Double predictedSeconds, double actualSeconds) {
    }

    /**
     * A pipeline's environments: what is live in each, its history, the notifications sent about the pipeline.
     *
     * @param message what the last action (a rollback) said, or null
     */
    public record EnvironmentsPage(String pipeline, List<EnvironmentSection> environments,
                                   List<dev.gantry.core.notify.Delivery> deliveries, String message) {
    }

    public record EnvironmentSection(dev.gantry.server.deploy.EnvironmentView view,
                                     List<dev.gantry.server.deploy.ReleaseView> releases) {
    }

    /** One release: its record, and what its directory still holds (null when it was pruned). */
    public record ReleasePage(dev.gantry.server.deploy.ReleaseView release, boolean keptOnDisk,
                              dev.gantry.server.deploy.ReleaseFiles.Tail gateOutput,
                              dev.gantry.server.deploy.ReleaseFiles.Tail serviceLog) {
    }

    public record NotificationsPage(String pipeline, List<dev.gantry.core.notify.Delivery> deliveries) {
    }

    public record LogPage(BuildRow build, String task, String status, long from, long stored) {
    }
}

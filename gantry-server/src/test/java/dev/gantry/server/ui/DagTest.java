package dev.gantry.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.store.BuildRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DagTest {

    private static BuildRow.TaskRow task(String name, String job, String status, Long ms) {
        return new BuildRow.TaskRow(name, job, status, 1, null, null, ms, null);
    }

    private static final BuildRow BUILD = new BuildRow("id", "p", 1, "gantry.yml", "d", null, null, null, null, null,
            "poll", "running", Instant.EPOCH, null, List.of(task("build", "build", "succeeded", 1200L),
            task("test[1]", "test", "succeeded", 3000L), task("test[2]", "test", "running", null),
            task("deploy", "deploy", "queued", null)));

    @Test
    void aJobIsRunningWhileAnyOfItsTasksIsAndTakesItsLongestTasksTime() {
        Map<String, Dag.JobNode> jobs = Dag.jobs(BUILD);
        assertThat(jobs.get("test")).isEqualTo(new Dag.JobNode("test", "running", 3000L, 2));
        assertThat(jobs.get("build").status()).isEqualTo("succeeded");
        assertThat(jobs.get("deploy").status()).isEqualTo("queued");
    }

    @Test
    void jobsStandInColumnsByDepthWithAnArrowPerNeed() {
        String svg = Dag.svg(BUILD, Map.of("test", List.of("build"), "deploy", List.of("test", "build")));
        assertThat(svg).contains("data-job=\"build\"", "data-status=\"running\"", "test ×2", "1.2s");
        assertThat(svg.split("class=\"edge\"", -1)).hasSize(4);
        int buildX = x(svg, "build");
        int testX = x(svg, "test");
        int deployX = x(svg, "deploy");
        assertThat(buildX).isLessThan(testX);
        assertThat(testX).isLessThan(deployX);
    }

    @Test
    void namesAreEscaped() {
        BuildRow hostile = BUILD.withTasks(List.of(task("<script>", "<script>", "failed", 1L)));
        assertThat(Dag.svg(hostile, Map.of())).doesNotContain("<script>").contains("&lt;script&gt;");
    }

    private static int x(String svg, String job) {
        String at = svg.substring(svg.indexOf("data-job=\"" + job + "\""));
        String rect = at.substring(at.indexOf("<rect x=\"") + 9);
        return Integer.parseInt(rect.substring(0, rect.indexOf('"')));
    }
}

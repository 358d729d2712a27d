package dev.gantry.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.glob.Glob;
import dev.gantry.core.load.PipelineLoader;
import dev.gantry.core.load.StepTypes;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.pipeline.RunStep;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static Pipeline load(String yaml) {
        return new PipelineLoader(StepTypes.standard()).load("gantry.yml", yaml.getBytes());
    }

    private static List<String> names(Plan plan) {
        return plan.tasks().stream().map(TaskPlan::name).toList();
    }

    @Test
    void expandsMatrixCellsTimesShardsWithExclusions() {
        Pipeline p = load("""
                jobs:
                  test:
                    parallelism: 2
                    matrix:
                      os: [linux, mac]
                      py: ["3.11", "3.12"]
                      exclude: [{os: mac, py: "3.11"}]
                    steps: [{run: make test}]
                """);
        Plan plan = new Planner().plan(p, Revision.NONE, List.of());
        assertThat(names(plan)).containsExactly(
                "test[os=linux,py=3.11][0]", "test[os=linux,py=3.11][1]",
                "test[os=linux,py=3.12][0]", "test[os=linux,py=3.12][1]",
                "test[os=mac,py=3.12][0]", "test[os=mac,py=3.12][1]");
        TaskPlan last = plan.tasks().get(5);
        assertThat(dev.gantry.core.pipeline.Value.resolveAll(last.env(), ref -> null)).containsEntry("GANTRY_NODE_INDEX", "1").containsEntry("GANTRY_NODE_TOTAL", "2")
                .containsEntry("CIRCLE_NODE_INDEX", "1").containsEntry("CIRCLE_NODE_TOTAL", "2")
                .containsEntry("GANTRY_MATRIX_OS", "mac").containsEntry("GANTRY_MATRIX_PY", "3.12")
                .containsEntry("GANTRY_JOB", "test");
    }

    @Test
    void ordersTasksByNeedsAndDependsOnEveryTaskOfANeededJob() {
        Pipeline p = load("""
                jobs:
                  report:
                    needs: [test]
                    steps: [{run: echo}]
                  test:
                    needs: [build]
                    parallelism: 2
                    steps: [{run: echo}]
                  build:
                    steps: [{run: echo}]
                """);
        Plan plan = new Planner().plan(p, Revision.NONE, List.of());
        assertThat(names(plan)).containsExactly("build", "test[0]", "test[1]", "report");
        assertThat(plan.task("report").orElseThrow().dependsOn()).containsExactly("test[0]", "test[1]");
    }

    @Test
    void selectedJobBringsEverythingItNeedsAndNothingElse() {
        Pipeline p = load("""
                jobs:
                  build: {steps: [{run: echo}]}
                  lint: {steps: [{run: echo}]}
                  test: {needs: [build], steps: [{run: echo}]}
                  deploy: {needs: [test], steps: [{run: echo}]}
                """);
        assertThat(names(new Planner().plan(p, Revision.NONE, List.of("test")))).containsExactly("build", "test");
        assertThatThrownBy(() -> new Planner().plan(p, Revision.NONE, List.of("tset")))
                .isInstanceOf(PipelineException.class).hasMessageContaining("no job named 'tset' (did you mean 'test'?)");
    }

    @Test
    void wrapsStepsInTimeoutRetryAndHooks() {
        Pipeline p = load("""
                defaults: {timeout: 5m}
                jobs:
                  e2e:
                    retry: 3
                    steps:
                      - run: {command: make, timeout: 1m, no_output_timeout: 10s}
                    on_failure: [{run: echo failed}]
                    ensure: [{run: echo always}]
                """);
        PlanNode root = new Planner().plan(p, Revision.NONE, List.of()).tasks().get(0).root();
        assertThat(root).isInstanceOf(HooksNode.class);
        HooksNode hooks = (HooksNode) root;
        assertThat(hooks.onFailure().children()).hasSize(1);
        assertThat(hooks.ensure().children()).hasSize(1);
        assertThat(hooks.onSuccess().children()).isEmpty();
        RetryNode retry = (RetryNode) hooks.child();
        assertThat(retry.policy().attempts()).isEqualTo(3);
        TimeoutNode jobTimeout = (TimeoutNode) retry.child();
        assertThat(jobTimeout.limit()).isEqualTo(Duration.ofMinutes(5));
        SequenceNode steps = (SequenceNode) jobTimeout.child();
        TimeoutNode stepTimeout = (TimeoutNode) steps.children().get(0);
        assertThat(stepTimeout.limit()).isEqualTo(Duration.ofMinutes(1));
        NoOutputTimeoutNode silence = (NoOutputTimeoutNode) stepTimeout.child();
        assertThat(silence.limit()).isEqualTo(Duration.ofSeconds(10));
        assertThat(((StepNode) silence.child()).step()).isInstanceOf(RunStep.class);
    }

    @Test
    void leadingAttachStepsRunBeforeTheServicesStart() {
        Pipeline p = load("""
                jobs:
                  e2e:
                    services:
                      api: java -jar app.jar --port {{ port }}
                    steps:
                      - attach: .
                      - run: curl "$GANTRY_SERVICE_API_URL"
                """);
        HooksNode hooks = (HooksNode) new Planner().plan(p, Revision.NONE, List.of()).tasks().get(0).root();
        SequenceNode outer = (SequenceNode) ((TimeoutNode) hooks.child()).child();
        assertThat(((StepNode) ((SequenceNode) outer.children().get(0)).children().get(0)).step().type())
                .isEqualTo("attach");
        ServicesNode services = (ServicesNode) outer.children().get(1);
        assertThat(((SequenceNode) services.child()).children()).hasSize(1);
    }

    @Test
    void skipsJobsWhoseWhenDoesNotMatchTheRevision() {
        Pipeline p = load("""
                jobs:
                  deploy:
                    when: {branches: [main, "release/**"], tags: ["v*"]}
                    steps: [{run: ./deploy}]
                """);
        Planner planner = new Planner();
        assertThat(planner.plan(p, new Revision("abc", "main", null), List.of()).tasks().get(0).skipReason()).isNull();
        assertThat(planner.plan(p, new Revision("abc", "release/1.2/rc", null), List.of()).tasks().get(0).skipReason())
                .isNull();
        assertThat(planner.plan(p, new Revision("abc", null, "v1.0"), List.of()).tasks().get(0).skipReason()).isNull();
        assertThat(planner.plan(p, new Revision("abc", "feature/x", null), List.of()).tasks().get(0).skipReason())
                .isEqualTo("when: branch 'feature/x' matches none of [main, release/**] and no tag points at this commit");
    }

    @Test
    void globStarStaysWithinASegment() {
        assertThat(new Glob("release/*").matches("release/1.2")).isTrue();
        assertThat(new Glob("release/*").matches("release/1.2/rc")).isFalse();
        assertThat(new Glob("release/**").matches("release/1.2/rc")).isTrue();
        assertThat(new Glob("v?.*").matches("v1.0")).isTrue();
        assertThat(new Glob("main").matches(null)).isFalse();
    }
}

package dev.gantry.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.BuildFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskEnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void stepsSeeCiVariablesNodeIndexMatrixAndTheirOwnEnv() {
        var r = new BuildFixture(dir).run("""
                env: {LEVEL: pipeline, KEEP: from-pipeline}
                jobs:
                  t:
                    env: {LEVEL: job}
                    parallelism: 2
                    matrix:
                      os: [linux]
                    steps:
                      - run:
                          env: {STEP_ONLY: "yes"}
                          command: |
                            echo "$CI $GANTRY $GANTRY_BUILD $GANTRY_JOB $GANTRY_TASK"
                            echo "$GANTRY_NODE_INDEX/$GANTRY_NODE_TOTAL $CIRCLE_NODE_INDEX/$CIRCLE_NODE_TOTAL"
                            echo "$GANTRY_MATRIX_OS $LEVEL $KEEP $STEP_ONLY $GANTRY_ATTEMPT"
                            case "$GANTRY_TASK_ID" in *.t-os=linux-1|*.t-os=linux-0) echo id-ok;; esac
                """);
        assertThat(r.output("t[os=linux][1]")).containsExactly(
                "true true 1 t t[os=linux][1]",
                "1/2 1/2",
                "linux job from-pipeline yes 1",
                "id-ok");
    }

    @Test
    void taskIdsAreUniqueAcrossBuilds() {
        BuildFixture fixture = new BuildFixture(dir);
        String yaml = "jobs:\n  t:\n    steps: [{run: echo $GANTRY_TASK_ID}]\n";
        List<String> first = fixture.run(yaml).output("t");
        List<String> second = new BuildFixture(dir).run(yaml).output("t");
        assertThat(first.get(0)).isNotEqualTo(second.get(0));
    }
}

package dev.gantry.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.process.LeftoverProcesses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Executor} must do; each implementation's test extends this class. The source tree the
 * executor copies holds one file, {@code source.txt}, containing {@code source}.
 */
public abstract class ExecutorContract {

    /** An executor over a source tree holding {@code source.txt}. */
    protected abstract Executor executor() throws Exception;

    private static Map<String, String> env(String marker) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        String[] kv = marker.split("=", 2);
        env.put(kv[0], kv[1]);
        return env;
    }

    private static String marker() {
        return "GANTRY_TASK_ID=contract-" + UUID.randomUUID();
    }

    @Test
    void workingCopiesArePrivateCopiesOfTheSource() throws Exception {
        Executor ex = executor();
        Path a = ex.prepareWorkingCopy("task-a", 1);
        Path b = ex.prepareWorkingCopy("task-b", 1);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.resolve("source.txt")).hasContent("source");
        Files.writeString(a.resolve("source.txt"), "changed by a");
        assertThat(b.resolve("source.txt")).hasContent("source");
        ex.discardWorkingCopy(a);
        assertThat(a).doesNotExist();
        ex.discardWorkingCopy(b);
    }

    @Test
    void runsAProcessWithExactlyTheGivenEnvironmentAndReportsItsExitCode() throws Exception {
        Executor ex = executor();
        Path wd = ex.prepareWorkingCopy("task-env", 1);
        String marker = marker();
        Map<String, String> env = env(marker);
        env.put("ONLY_THIS", "yes");
        StepProcess p = ex.start(new ProcessSpec(List.of("bash", "-c",
                "echo \"$ONLY_THIS ${HOME:-no-home}\"; cat source.txt; echo; echo err >&2; exit 7"), env, wd, marker));
        String out = new String(p.output().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(7);
        assertThat(out).isEqualTo("yes no-home\nsource\nerr\n");
        ex.discardWorkingCopy(wd);
    }

    @Test
    void stopEndsTheWholeTreeIncludingProcessesInANewSession() throws Exception {
        Executor ex = executor();
        Path wd = ex.prepareWorkingCopy("task-stop", 1);
        String marker = marker();
        StepProcess p = ex.start(new ProcessSpec(List.of("bash", "-c",
                "sleep 3141 & ( setsid sleep 3142 & ); echo up; wait"), env(marker), wd, marker));
        assertThat(new String(p.output().readNBytes(3), StandardCharsets.UTF_8)).isEqualTo("up\n");
        p.stop(Duration.ofSeconds(2));
        assertThat(LeftoverProcesses.matching("sleep 3141")).isEmpty();
        assertThat(LeftoverProcesses.matching("sleep 3142")).isEmpty();
        ex.discardWorkingCopy(wd);
    }

    @Test
    void stopAllEndsEveryProcessCarryingTheMarker() throws Exception {
        Executor ex = executor();
        Path wd = ex.prepareWorkingCopy("task-marker", 1);
        String marker = marker();
        StepProcess p = ex.start(new ProcessSpec(List.of("bash", "-c", "( setsid sleep 3143 >/dev/null 2>&1 & ); echo up"),
                env(marker), wd, marker));
        p.output().readAllBytes();
        assertThat(p.waitFor()).isZero();
        assertThat(LeftoverProcesses.matching("sleep 3143")).hasSize(1);
        ex.stopAll(marker, Duration.ofSeconds(2));
        assertThat(LeftoverProcesses.matching("sleep 3143")).isEmpty();
        ex.discardWorkingCopy(wd);
    }
}

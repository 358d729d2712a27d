package dev.gantry.engine.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildListener;
import dev.gantry.engine.process.LeftoverProcesses;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumesTest {

    @TempDir
    Path dir;

    @TempDir
    Path volumes;

    @TempDir
    Path shared;

    @TempDir
    Path otherBuild;

    private BuildFixture fixture() {
        return fixture(dir);
    }

    private BuildFixture fixture(Path buildDir) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("GANTRY_VOLUMES_DIR", volumes.toString());
        return new BuildFixture(buildDir).settings(new EngineSettings(4, false, env, Clock.systemUTC()));
    }

    /**
     * Lets each task take its second volume only once the other task has either taken its first (declaration
     * order: both now hold one and want the other's) or is queued behind one this task holds (one global order).
     */
    private static final class CrossingGate implements BuildListener {

        private final Map<String, List<String>> waits = new HashMap<>();

        @Override
        public synchronized void on(BuildEvent event) {
            if (!(event instanceof BuildEvent.LogLine l) || !l.line().startsWith("waiting for volume ")) {
                return;
            }
            List<String> mine = waits.computeIfAbsent(l.task(), k -> new ArrayList<>());
            mine.add(l.line().split(" ")[3]);
            notifyAll();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (mine.size() > 1 && !otherMoved(l.task(), mine) && System.nanoTime() < deadline) {
                try {
                    wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private boolean otherMoved(String task, List<String> mine) {
            List<String> held = mine.subList(0, mine.size() - 1);
            return waits.entrySet().stream().filter(e -> !e.getKey().equals(task)).map(Map.Entry::getValue)
                    .anyMatch(o -> o.size() > 1 || held.contains(o.get(o.size() - 1)));
        }
    }

    @Test
    void jobsListingTheSameVolumesInOppositeOrderBothComplete() {
        var fixture = fixture().listener(new CrossingGate());
        // a hang guard only: with declaration-order locking these two deadlock for good
        var r = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> fixture.run("""
                jobs:
                  left:
                    volumes:
                      alpha: {path: a}
                      beta: {path: b}
                    steps: [{run: echo left > a/owner}]
                  right:
                    volumes:
                      beta: {path: b}
                      alpha: {path: a}
                    steps: [{run: echo right > b/owner}]
                """));
        assertThat(r.task("left").state()).as(r.task("left").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.task("right").state()).as(r.task("right").reason()).isEqualTo(TaskState.SUCCEEDED);
    }

    /** Runs, in another build, a task that holds {@code models} until its build is cancelled. */
    private BuildFixture holdModelsElsewhere(CompletableFuture<?>[] running) {
        BuildFixture holder = fixture(otherBuild);
        running[0] = CompletableFuture.runAsync(() -> holder.run("""
                jobs:
                  holder:
                    volumes:
                      models: {path: models}
                    steps: [{run: "echo holding; sleep 3209"}]
                """));
        await().atMost(Duration.ofSeconds(60)).until(() -> holder.events().stream()
                .anyMatch(e -> e instanceof BuildEvent.LogLine l && l.line().equals("holding")));
        return holder;
    }

    @Test
    void aTaskWaitingForAVolumeTimesOut() throws Exception {
        CompletableFuture<?>[] running = new CompletableFuture<?>[1];
        BuildFixture holder = holdModelsElsewhere(running);
        try {
            var r = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> fixture().run("""
                    jobs:
                      waiter:
                        timeout: 1s
                        volumes:
                          models: {path: models}
                        steps: [{run: echo never}]
                    """));
            assertThat(r.task("waiter").state()).isEqualTo(TaskState.TIMED_OUT);
            assertThat(r.task("waiter").reason()).contains("timed out after 1");
            assertThat(r.output("waiter")).doesNotContain("never");
            assertThat(running[0]).as("the holder still runs").isNotDone();
        } finally {
            holder.cancellation().cancel(Cancellation.Reason.CANCELLED, "test over");
            running[0].get(60, TimeUnit.SECONDS);
        }
        assertThat(LeftoverProcesses.matching("sleep 3209")).isEmpty();
    }

    @Test
    void aTaskWaitingForAVolumeIsCancelled() throws Exception {
        CompletableFuture<?>[] running = new CompletableFuture<?>[1];
        BuildFixture holder = holdModelsElsewhere(running);
        try {
            var fixture = fixture();
            fixture.listener(e -> {
                if (e instanceof BuildEvent.LogLine l && l.line().startsWith("waiting for volume models")) {
                    new Thread(() -> fixture.cancellation().cancel(Cancellation.Reason.CANCELLED, "Ctrl-C")).start();
                }
            });
            var r = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> fixture.run("""
                    jobs:
                      waiter:
                        volumes:
                          models: {path: models}
                        steps: [{run: echo never}]
                    """));
            assertThat(r.task("waiter").state()).isEqualTo(TaskState.CANCELLED);
            assertThat(r.output("waiter")).doesNotContain("never");
            assertThat(running[0]).as("the holder still runs").isNotDone();
        } finally {
            holder.cancellation().cancel(Cancellation.Reason.CANCELLED, "test over");
            running[0].get(60, TimeUnit.SECONDS);
        }
        assertThat(LeftoverProcesses.matching("sleep 3209")).isEmpty();
    }

    @Test
    void aTaskStoppedWhileAnotherProcessHoldsTheVolumeRunsNothingAndLeavesTheVolumeFree() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")),
                "needs /usr/bin/python3 to hold a POSIX file lock from another process");
        Files.createDirectories(volumes);
        Process other = new ProcessBuilder("/usr/bin/python3", "-c", "import fcntl, sys\n"
                + "f = open(sys.argv[1], 'a+')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\n"
                + "sys.stdin.read()\n", volumes.resolve("models.lock").toString()).redirectErrorStream(true).start();
        try {
            assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream())).readLine())
                    .isEqualTo("locked");
            // the lock inside this JVM is free, so the task waits on the other process's file lock until it times out
            var r = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> fixture().run("""
                    jobs:
                      waiter:
                        timeout: 1s
                        volumes:
                          models: {path: models}
                        steps: [{run: echo never}]
                    """));
            assertThat(r.task("waiter").state()).isEqualTo(TaskState.TIMED_OUT);
            assertThat(r.output("waiter")).doesNotContain("never");
        } finally {
            other.getOutputStream().close();
            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        var next = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> fixture().run("""
                jobs:
                  writer:
                    volumes:
                      models: {path: models}
                    steps: [{run: echo wrote}]
                """));
        assertThat(next.task("writer").state()).as(next.task("writer").reason()).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void aVolumeOutlivesBuildsWithoutBeingCopied() throws Exception {
        String yaml = """
                jobs:
                  e2e:
                    volumes:
                      models: {path: cache/models}
                    steps:
                      - run: test -f cache/models/weights.bin && echo "cached $(cat cache/models/weights.bin)" || { echo 42 > cache/models/weights.bin; echo downloaded; }
                """;
        var first = fixture().run(yaml);
        assertThat(first.task("e2e").state()).as(first.task("e2e").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(first.output("e2e")).contains("mounted volume models at cache/models", "downloaded");
        var second = fixture().run(yaml);
        assertThat(second.output("e2e")).contains("cached 42");
        assertThat(volumes.resolve("models/weights.bin")).hasContent("42");
        assertThat(dir.resolve("cache")).as("the source tree is untouched").doesNotExist();
    }

    private List<long[]> stays() throws Exception {
        List<long[]> out = new java.util.ArrayList<>();
        for (Path f : Files.list(shared).toList()) {
            String[] p = Files.readString(f).trim().split(" ");
            out.add(new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])});
        }
        return out;
    }

    private static boolean anyOverlap(List<long[]> stays) {
        for (long[] a : stays) {
            for (long[] b : stays) {
                if (a != b && a[0] < b[1] && b[0] < a[1]) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void writersNeverOverlapWhileReadersShare() throws Exception {
        String yaml = """
                env: {SHARED: "%s"}
                jobs:
                  fill:
                    parallelism: 3
                    volumes:
                      models: {read_only: %s}
                    steps:
                      - run: |
                          start=$(date +%%s%%N); sleep 0.4; end=$(date +%%s%%N)
                          echo "$start $end" > "$SHARED/$GANTRY_NODE_INDEX"
                """;
        var writers = fixture().run(yaml.formatted(shared, "false"));
        assertThat(writers.result().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(anyOverlap(stays())).as("two writers held the volume at once").isFalse();
        for (Path f : Files.list(shared).toList()) {
            Files.delete(f);
        }
        var readers = fixture().run(yaml.formatted(shared, "true"));
        assertThat(readers.result().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(anyOverlap(stays())).as("readers share the volume").isTrue();
    }
}

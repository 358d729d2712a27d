package dev.gantry.bench;

import dev.gantry.core.load.PipelineLoader;
import dev.gantry.core.load.StepTypes;
import dev.gantry.core.pipeline.Defaults;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.plan.Plan;
import dev.gantry.core.plan.Planner;
import dev.gantry.core.plan.Revision;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.local.LocalBuild;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.BuildResult;
import dev.gantry.engine.scheduler.EngineSettings;
import dev.gantry.engine.workspace.Directories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Engine overhead per step: a pipeline of 20 jobs x 10 trivial steps run through the real engine, against
 * spawning the same {@code bash -eo pipefail -c true} directly from the same JVM, in the same run. Tasks run one
 * at a time so the figure is per step, not hidden by parallelism.
 *
 * <p>Usage: {@code bench/engine/run [rounds]} (default 5). Prints each round and the medians.
 */
public final class EngineBench {

    private static final int JOBS = 20;
    private static final int STEPS = 10;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("gantry-bench-engine");
        Path file = dir.resolve("gantry.yml");
        Files.writeString(file, pipeline());
        Pipeline pipeline = new PipelineLoader(StepTypes.standard()).load("gantry.yml", Files.readAllBytes(file));
        Plan plan = new Planner().plan(pipeline, Revision.NONE, List.of());
        EngineSettings settings = new EngineSettings(1, false, System.getenv(), Clock.systemUTC());
        int steps = JOBS * STEPS;

        bare(steps);           // warm-up: JIT, page cache
        gantry(plan, file, settings);

        double[] bareMs = new double[rounds];
        double[] gantryMs = new double[rounds];
        System.out.printf("engine overhead: %d jobs x %d steps, tasks one at a time, %d rounds%n", JOBS, STEPS, rounds);
        for (int r = 0; r < rounds; r++) {
            bareMs[r] = bare(steps) / steps;
            gantryMs[r] = gantry(plan, file, settings) / steps;
            System.out.printf("round %d: bare spawn %.2f ms/step, gantry %.2f ms/step, overhead %.2f ms/step%n",
                    r + 1, bareMs[r], gantryMs[r], gantryMs[r] - bareMs[r]);
        }
        double b = median(bareMs);
        double g = median(gantryMs);
        System.out.printf("median: bare spawn %.2f ms/step, gantry %.2f ms/step%n", b, g);
        System.out.printf("gantry adds %.2f ms per step (ratio %.2fx the bare spawn; target: under 5 ms)%n",
                g - b, g / b);
        Directories.deleteTree(dir);
    }

    private static String pipeline() {
        StringBuilder y = new StringBuilder("name: bench-engine\njobs:\n");
        for (int j = 0; j < JOBS; j++) {
            y.append("  job").append(j).append(":\n    steps:\n");
            for (int s = 0; s < STEPS; s++) {
                y.append("      - run: \"true\"\n");
            }
        }
        return y.toString();
    }

    /** Milliseconds to spawn and reap {@code n} shells the way Gantry's default shell runs a step. */
    private static double bare(int n) throws Exception {
        List<String> command = new ArrayList<>(Defaults.SHELL);
        command.add("true");
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("bash -c true failed");
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /** Milliseconds for the engine to run the whole pipeline, build record and logs included. */
    private static double gantry(Plan plan, Path file, EngineSettings settings) throws Exception {
        long start = System.nanoTime();
        LocalBuild build = LocalBuild.create(plan, file, Map.of("gpu", 0), settings);
        BuildResult result = build.run(event -> { }, Cancellation.root());
        double ms = (System.nanoTime() - start) / 1e6;
        if (result.state() != TaskState.SUCCEEDED) {
            throw new IllegalStateException("the benchmark pipeline failed: " + result.state());
        }
        return ms;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private EngineBench() {
    }
}

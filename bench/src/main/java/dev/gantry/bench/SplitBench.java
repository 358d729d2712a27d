package dev.gantry.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.split.QueueSimulation;
import dev.gantry.core.split.SplitPlan;
import dev.gantry.core.split.Splitter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Split balance on real timing histories: plan with version k of a project's per-file timings, score with version
 * k+1 (the suite drifts between runs: new files take the mean, deleted files are ignored). The score is the
 * makespan over max(total / N, longest item): 1.0 is optimal. Static timings split, queue mode (workers pulling
 * longest-first from a shared queue) and name split (the baseline) are scored on the same pairs.
 *
 * <p>Usage: {@code bench/split/run [DIR]} (default ../shared/bench-data/split-timings/openfoodnetwork).
 */
public final class SplitBench {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/bench-data/split-timings/openfoodnetwork");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted(Comparator.comparing(Path::toString)).toList();
        }
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Double>> versions = new ArrayList<>();
        for (Path f : files) {
            versions.add(json.readValue(f.toFile(), new TypeReference<Map<String, Double>>() { }));
        }
        System.out.printf("split balance: %d versions from %s, planned on k, scored on k+1 (%d pairs)%n",
                versions.size(), dir, versions.size() - 1);
        System.out.println("score = makespan / max(total/N, longest); 1.00 is optimal");
        System.out.printf("%4s  %-16s %6s %6s%n", "N", "method", "mean", "worst");
        for (int n : new int[] {4, 8, 16}) {
            double[][] scores = new double[3][versions.size() - 1];
            for (int k = 0; k + 1 < versions.size(); k++) {
                Map<String, Double> plan = versions.get(k);
                Map<String, Double> actual = versions.get(k + 1);
                double total = actual.values().stream().mapToDouble(Double::doubleValue).sum();
                double longest = actual.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
                double bound = Math.max(total / n, longest);
                SplitPlan timings = Splitter.byWeight(actual.keySet(), plan, n, null);
                scores[0][k] = makespan(timings, actual) / bound;
                scores[1][k] = QueueSimulation.makespan(Splitter.longestFirst(actual.keySet(), plan, null), actual, n) / bound;
                scores[2][k] = makespan(Splitter.byName(actual.keySet(), n), actual) / bound;
            }
            String[] names = {"static timings", "queue", "name (baseline)"};
            for (int m = 0; m < 3; m++) {
                double mean = java.util.Arrays.stream(scores[m]).average().orElse(0);
                double worst = java.util.Arrays.stream(scores[m]).max().orElse(0);
                System.out.printf("%4d  %-16s %6.3f %6.3f%n", n, names[m], mean, worst);
            }
        }
    }

    private static double makespan(SplitPlan plan, Map<String, Double> actual) {
        return plan.shards().stream().mapToDouble(s -> s.items().stream().mapToDouble(i -> actual.getOrDefault(i, 0.0))
                .sum()).max().orElse(0);
    }

    private SplitBench() {
    }
}

package dev.gantry.core.split;

import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * What queue mode achieves: {@code workers} pull items one at a time from a queue in {@code order} (longest
 * first by the planned weights), each taking as long as it really does; the makespan is when the last finishes.
 */
public final class QueueSimulation {

    private QueueSimulation() {
    }

    public static double makespan(List<String> order, Map<String, Double> actual, int workers) {
        PriorityQueue<Double> free = new PriorityQueue<>();
        for (int i = 0; i < workers; i++) {
            free.add(0.0);
        }
        double end = 0;
        for (String item : order) {
            double start = free.poll();
            double finish = start + actual.getOrDefault(item, 0.0);
            end = Math.max(end, finish);
            free.add(finish);
        }
        return end;
    }
}

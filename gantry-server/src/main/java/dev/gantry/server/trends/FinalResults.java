package dev.gantry.server.trends;

import dev.gantry.store.ResultRows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A build's tests as they ended: a task retried keeps the results of each attempt, and a test that failed and then
 * passed counts once, as passed (its passing run's time), while its failure makes it flaky.
 */
public final class FinalResults {

    private FinalResults() {
    }

    public static List<ResultRows.TestRow> of(List<ResultRows.TestRow> tests) {
        Map<List<String>, ResultRows.TestRow> last = new LinkedHashMap<>();
        for (ResultRows.TestRow t : tests) {
            List<String> key = java.util.Arrays.asList(t.task(), t.className(), t.name());
            ResultRows.TestRow kept = last.get(key);
            if (kept == null || !TestKey.passed(kept)) {
                last.put(key, t);
            }
        }
        return new ArrayList<>(last.values());
    }
}

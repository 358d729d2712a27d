package dev.gantry.core.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Axes whose cartesian product, minus {@code exclude} entries, gives a job's cells.
 *
 * @param axes    axis name to its values, in file order
 * @param exclude partial assignments; a cell matching every pair of one entry is dropped
 */
public record MatrixDef(Map<String, List<String>> axes, List<Map<String, String>> exclude) {

    public static final MatrixDef NONE = new MatrixDef(Map.of(), List.of());

    public MatrixDef {
        axes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(axes));
        exclude = List.copyOf(exclude);
    }

    /** The cells in a stable order: the first axis varies slowest. One empty cell when there are no axes. */
    public List<Map<String, String>> cells() {
        List<Map<String, String>> cells = new ArrayList<>();
        cells.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> cell : cells) {
                for (String value : axis.getValue()) {
                    Map<String, String> c = new LinkedHashMap<>(cell);
                    c.put(axis.getKey(), value);
                    next.add(c);
                }
            }
            cells = next;
        }
        cells.removeIf(cell -> exclude.stream().anyMatch(ex -> cell.entrySet().containsAll(ex.entrySet())));
        return cells;
    }

    /** The number of cells before exclusions, which is what the size limit guards. */
    public long productSize() {
        long n = 1;
        for (List<String> values : axes.values()) {
            n *= values.size();
        }
        return n;
    }
}

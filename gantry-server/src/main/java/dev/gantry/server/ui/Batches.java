package dev.gantry.server.ui;

import dev.gantry.store.BatchRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A build's batch steps as the build page shows them: progress while they run; throughput, percentiles and an SVG
 * bar chart of the latency histogram once they end. The histogram's buckets are log-spaced (eight per doubling), so
 * the chart's x axis is logarithmic; a wide spread is drawn with neighbouring buckets merged into fewer bars.
 */
public final class Batches {

    static final int W = 560;
    static final int H = 150;
    /** At most this many bars: a spread wider than six doublings merges neighbouring buckets. */
    static final int MAX_BARS = 48;
    private static final int LEFT = 40;
    private static final int RIGHT = 10;
    private static final int BOTTOM = 20;

    private Batches() {
    }

    public static List<Views.BatchView> of(List<BatchRow> rows) {
        List<Views.BatchView> views = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            BatchRow r = rows.get(i);
            views.add(new Views.BatchView(r, r.histogram().isEmpty() ? null : histogram("batch-" + i, r)));
        }
        return views;
    }

    /** A latency as people read it: {@code 0.42 ms}, {@code 85 ms}, {@code 1.24 s}, {@code 2m 5s}. */
    public static String latency(Double ms) {
        if (ms == null) {
            return "–";
        }
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        }
        if (ms < 1000) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.2f s", ms / 1000);
        }
        return Html.duration(ms.longValue());
    }

    /** The index of a bucket among the histogram's log-spaced ones: eight per doubling from 0.1 ms. */
    private static int index(Double upToMs, int last) {
        return upToMs == null ? last + 1 : (int) Math.round(8 * Math.log(upToMs / 0.1) / Math.log(2));
    }

    static String histogram(String id, BatchRow r) {
        List<BatchRow.Bucket> buckets = r.histogram();
        int lastBounded = buckets.stream().filter(b -> b.upToMs() != null).mapToInt(b -> index(b.upToMs(), 0))
                .max().orElse(0);
        int first = index(buckets.get(0).upToMs(), lastBounded);
        int end = index(buckets.get(buckets.size() - 1).upToMs(), lastBounded);
        int group = 1;
        while ((end / group - first / group + 1) > MAX_BARS) {
            group *= 2;
        }
        Map<Integer, Long> bars = new LinkedHashMap<>();
        Map<Integer, Double> bounds = new LinkedHashMap<>();
        for (BatchRow.Bucket b : buckets) {
            int bar = index(b.upToMs(), lastBounded) / group - first / group;
            bars.merge(bar, b.count(), Long::sum);
            bounds.put(bar, b.upToMs());
        }
        int slots = end / group - first / group + 1;
        long max = bars.values().stream().mapToLong(Long::longValue).max().orElse(1);
        double width = (W - LEFT - RIGHT) / (double) slots;
        StringBuilder svg = new StringBuilder("<svg class=\"chart histogram\" id=\"hist-" + id + "\" width=\"" + W
                + "\" height=\"" + H + "\" viewBox=\"0 0 " + W + " " + H + "\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", LEFT,
                H - BOTTOM, W - RIGHT, H - BOTTOM));
        svg.append("<text x=\"2\" y=\"14\" class=\"axis\">").append(max).append("</text>");
        for (Map.Entry<Integer, Long> bar : bars.entrySet()) {
            double height = bar.getValue() / (double) max * (H - BOTTOM - 20);
            Double upTo = bounds.get(bar.getKey());
            svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                            + " height=\"%.1f\" fill=\"#2563eb\"><title>%s: %d</title></rect>",
                    LEFT + bar.getKey() * width + 0.5, H - BOTTOM - height, Math.max(1, width - 1), height,
                    upTo == null ? "longer" : "up to " + latency(upTo), bar.getValue()));
        }
        svg.append("<text x=\"").append(LEFT).append("\" y=\"").append(H - 4).append("\" class=\"axis\">")
                .append(latency(buckets.get(0).upToMs())).append("</text>");
        Double top = buckets.get(buckets.size() - 1).upToMs();
        svg.append("<text x=\"").append(W - RIGHT).append("\" y=\"").append(H - 4)
                .append("\" class=\"axis\" text-anchor=\"end\">").append(top == null ? "longer" : latency(top))
                .append("</text>");
        marker(svg, "p50", r.p50Ms(), first, group, width, lastBounded);
        marker(svg, "p95", r.p95Ms(), first, group, width, lastBounded);
        marker(svg, "p99", r.p99Ms(), first, group, width, lastBounded);
        return svg.append("</svg>").toString();
    }

    /** A dashed line at a percentile, over the bar of its bucket. */
    private static void marker(StringBuilder svg, String name, Double ms, int first, int group, double width,
                               int lastBounded) {
        if (ms == null || ms <= 0) {
            return;
        }
        // the buckets' bounds are rounded up to the microsecond: up to 0.11 of an index above the exact ones
        int bucket = (int) Math.ceil(8 * Math.log(ms / 0.1) / Math.log(2) - 0.15);
        double x = LEFT + (Math.max(0, Math.min(bucket, lastBounded)) / group - first / group + 0.5) * width;
        svg.append(String.format(Locale.ROOT, "<line class=\"percentile\" x1=\"%.1f\" y1=\"16\" x2=\"%.1f\""
                + " y2=\"%d\" stroke=\"#dc2626\" stroke-dasharray=\"3,2\"/><text x=\"%.1f\" y=\"12\" class=\"axis\""
                + " text-anchor=\"middle\">%s</text>", x, x, H - BOTTOM, x, name));
    }
}

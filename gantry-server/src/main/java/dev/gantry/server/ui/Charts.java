package dev.gantry.server.ui;

import dev.gantry.store.ResultRows;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Telemetry over time as small SVG line charts: one line per task, one chart per measure. */
public final class Charts {

    static final int W = 560;
    static final int H = 140;
    private static final String[] COLOURS = {"#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2"};

    private Charts() {
    }

    /** Samples of each task's own processes ({@code task} scope), per measure: CPU %, RSS MiB, GPU % when present. */
    public static Map<String, String> all(List<ResultRows.TelemetryRow> samples) {
        List<ResultRows.TelemetryRow> own = samples.stream().filter(s -> s.scope().equals("task")).toList();
        if (own.isEmpty()) {
            own = samples;
        }
        Map<String, String> charts = new LinkedHashMap<>();
        if (own.isEmpty()) {
            return charts;
        }
        charts.put("CPU %", chart("cpu", own, ResultRows.TelemetryRow::cpuPercent));
        charts.put("Memory (RSS, MiB)", chart("rss", own, s -> s.rssBytes() / (1024.0 * 1024)));
        if (own.stream().anyMatch(s -> s.gpuPercent() != null)) {
            charts.put("GPU %", chart("gpu", own.stream().filter(s -> s.gpuPercent() != null).toList(),
                    s -> s.gpuPercent()));
        }
        return charts;
    }

    static String chart(String id, List<ResultRows.TelemetryRow> samples, ToDoubleFunction<ResultRows.TelemetryRow> y) {
        Instant start = samples.stream().map(ResultRows.TelemetryRow::at).min(Instant::compareTo).orElseThrow();
        Instant end = samples.stream().map(ResultRows.TelemetryRow::at).max(Instant::compareTo).orElseThrow();
        double span = Math.max(1, end.toEpochMilli() - start.toEpochMilli());
        double max = Math.max(1e-9, samples.stream().mapToDouble(y).max().orElse(1));
        Map<String, StringBuilder> lines = new LinkedHashMap<>();
        for (ResultRows.TelemetryRow s : samples) {
            double px = 40 + (s.at().toEpochMilli() - start.toEpochMilli()) / span * (W - 50);
            double py = H - 20 - y.applyAsDouble(s) / max * (H - 30);
            lines.computeIfAbsent(s.task(), k -> new StringBuilder()).append(String.format(java.util.Locale.ROOT,
                    "%.1f,%.1f ", px, py));
        }
        StringBuilder svg = new StringBuilder("<svg class=\"chart\" id=\"chart-" + id + "\" width=\"" + W
                + "\" height=\"" + H + "\" viewBox=\"0 0 " + W + " " + H + "\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.append("<line x1=\"40\" y1=\"").append(H - 20).append("\" x2=\"").append(W - 10).append("\" y2=\"")
                .append(H - 20).append("\" stroke=\"#999\"/><text x=\"2\" y=\"14\" class=\"axis\">")
                .append(String.format(java.util.Locale.ROOT, "%.0f", max)).append("</text><text x=\"2\" y=\"")
                .append(H - 20).append("\" class=\"axis\">0</text><text x=\"").append(W - 60).append("\" y=\"")
                .append(H - 4).append("\" class=\"axis\">").append(Html.duration((long) span)).append("</text>");
        int i = 0;
        for (Map.Entry<String, StringBuilder> l : lines.entrySet()) {
            String colour = COLOURS[i % COLOURS.length];
            svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\" points=\"")
                    .append(l.getValue().toString().trim()).append("\"><title>").append(Html.escape(l.getKey()))
                    .append("</title></polyline>");
            svg.append("<text x=\"").append(50 + i * 120).append("\" y=\"12\" fill=\"").append(colour)
                    .append("\" class=\"axis\">").append(Html.escape(l.getKey())).append("</text>");
            i++;
        }
        return svg.append("</svg>").toString();
    }
}

package dev.gantry.server.ui;

import dev.gantry.server.trends.History;
import dev.gantry.store.BuildRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pipeline's trends as small SVG charts, the oldest build on the left: each build's duration as a bar in its
 * status's colour (a link to the build), and lines of values over builds (each job's duration, a split job's
 * shard times predicted and actual).
 */
final class TrendCharts {

    static final int W = 640;
    static final int H = 160;
    private static final int LEFT = 48;
    private static final int BOTTOM = 20;
    private static final String[] COLOURS = {"#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2"};

    private TrendCharts() {
    }

    /** One bar a build: its duration, coloured by status; a build still running has none. */
    static String durations(List<BuildRow> builds) {
        double max = builds.stream().map(History::durationMs).filter(java.util.Objects::nonNull)
                .mapToDouble(Long::doubleValue).max().orElse(1);
        StringBuilder svg = open("durations", max / 1000);
        double slot = (W - LEFT - 10.0) / Math.max(1, builds.size());
        for (int i = 0; i < builds.size(); i++) {
            BuildRow b = builds.get(i);
            Long ms = History.durationMs(b);
            if (ms == null) {
                continue;
            }
            double h = Math.max(1, ms / Math.max(1, max) * (H - BOTTOM - 10));
            svg.append("<a href=\"/pipelines/").append(Html.escape(Html.segment(b.pipeline()))).append("/builds/")
                    .append(b.number()).append("\"><rect class=\"bar status-").append(Html.cssClass(b.status()))
                    .append("\" data-number=\"").append(b.number()).append("\" data-ms=\"").append(ms)
                    .append(num("\" x=\"", LEFT + i * slot + 1)).append(num("\" y=\"", H - BOTTOM - h))
                    .append(num("\" width=\"", Math.max(1, slot - 2))).append(num("\" height=\"", h))
                    .append("\"><title>#").append(b.number()).append(' ').append(Html.escape(b.status())).append(", ")
                    .append(Html.duration(ms)).append("</title></rect></a>");
        }
        axis(svg, builds);
        return svg.append("</svg>").toString();
    }

    /**
     * Lines over builds: one per series, its values in seconds by build (null where a build has none), dashed for
     * the series named in {@code dashed}.
     */
    static String lines(String id, List<BuildRow> builds, Map<String, List<Double>> series, List<String> dashed) {
        double max = series.values().stream().flatMap(List::stream).filter(java.util.Objects::nonNull)
                .mapToDouble(Double::doubleValue).max().orElse(1);
        StringBuilder svg = open(id, max);
        double slot = (W - LEFT - 10.0) / Math.max(1, builds.size());
        int colour = 0;
        int legend = 0;
        for (Map.Entry<String, List<Double>> s : series.entrySet()) {
            String stroke = COLOURS[colour++ % COLOURS.length];
            for (String segment : segments(s.getValue(), slot, max)) {
                svg.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"1.5\"")
                        .append(dashed.contains(s.getKey()) ? " stroke-dasharray=\"4 3\"" : "")
                        .append(" data-series=\"").append(Html.escape(s.getKey())).append("\" points=\"")
                        .append(segment).append("\"><title>").append(Html.escape(s.getKey()))
                        .append("</title></polyline>");
            }
            svg.append(num("<text x=\"", LEFT + 4 + legend)).append("\" y=\"12\" fill=\"").append(stroke)
                    .append("\" class=\"axis\">").append(Html.escape(s.getKey())).append("</text>");
            legend += 12 + 7 * s.getKey().length();
        }
        axis(svg, builds);
        return svg.append("</svg>").toString();
    }

    /** The points of each run of values without a gap; a lone point is drawn as a short tick. */
    private static List<String> segments(List<Double> values, double slot, double max) {
        List<String> out = new ArrayList<>();
        StringBuilder points = new StringBuilder();
        int count = 0;
        for (int i = 0; i <= values.size(); i++) {
            Double v = i < values.size() ? values.get(i) : null;
            if (v == null) {
                if (count == 1) {
                    String only = points.toString().trim();
                    double x = Double.parseDouble(only.split(",")[0]);
                    points.append(num("", x + 2)).append(',').append(only.split(",")[1]);
                }
                if (count > 0) {
                    out.add(points.toString().trim());
                }
                points.setLength(0);
                count = 0;
                continue;
            }
            double x = LEFT + (i + 0.5) * slot;
            double y = H - BOTTOM - v / Math.max(1e-9, max) * (H - BOTTOM - 16);
            points.append(num("", x)).append(',').append(num("", y)).append(' ');
            count++;
        }
        return out;
    }

    private static StringBuilder open(String id, double maxSeconds) {
        StringBuilder svg = new StringBuilder("<svg class=\"chart trend\" id=\"trend-" + Html.escape(id)
                + "\" width=\"" + W + "\" height=\"" + H + "\" viewBox=\"0 0 " + W + " " + H
                + "\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.append(num("<line x1=\"", LEFT)).append(num("\" y1=\"", H - BOTTOM)).append(num("\" x2=\"", W - 10))
                .append(num("\" y2=\"", H - BOTTOM)).append("\" stroke=\"#999\"/>")
                .append("<text x=\"2\" y=\"24\" class=\"axis\">").append(Html.seconds(maxSeconds)).append("</text>")
                .append(num("<text x=\"2\" y=\"", H - BOTTOM)).append("\" class=\"axis\">0</text>");
        return svg;
    }

    /** The first and last builds' numbers under the axis. */
    private static void axis(StringBuilder svg, List<BuildRow> builds) {
        if (builds.isEmpty()) {
            return;
        }
        svg.append(num("<text x=\"", LEFT)).append(num("\" y=\"", H - 4)).append("\" class=\"axis\">#")
                .append(builds.get(0).number()).append("</text>").append(num("<text x=\"", W - 40))
                .append(num("\" y=\"", H - 4)).append("\" class=\"axis\">#").append(builds.get(builds.size() - 1)
                        .number()).append("</text>");
    }

    private static String num(String prefix, double v) {
        return prefix + String.format(Locale.ROOT, "%.1f", v);
    }

    /** Each job's duration in seconds by build, the jobs in the order they first appear. */
    static Map<String, List<Double>> jobSeries(List<BuildRow> builds) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        List<Map<String, Long>> perBuild = builds.stream().map(History::jobDurationsMs).toList();
        perBuild.forEach(m -> m.keySet().forEach(job -> series.putIfAbsent(job, new ArrayList<>())));
        series.forEach((job, values) -> perBuild.forEach(m -> values.add(m.containsKey(job)
                ? m.get(job) / 1000.0 : null)));
        return series;
    }
}

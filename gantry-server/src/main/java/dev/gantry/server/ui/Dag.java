package dev.gantry.server.ui;

import dev.gantry.store.BuildRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A build's job graph as SVG: one box per job in columns by depth (a job sits right of everything it needs), filled
 * by its state, with its longest task's duration; arrows from each need to the job that needs it.
 */
public final class Dag {

    static final int W = 170;
    static final int H = 44;
    static final int GAP_X = 50;
    static final int GAP_Y = 16;

    private Dag() {
    }

    /** A job's state and time, from its tasks. */
    public record JobNode(String job, String status, Long durationMs, int tasks) {
    }

    /**
     * @param needs each job's needs, when known (the pipeline file at the build's commit); jobs missing from it
     *              stand in the first column
     */
    public static String svg(BuildRow build, Map<String, List<String>> needs) {
        Map<String, JobNode> jobs = jobs(build);
        Map<String, Integer> depth = new HashMap<>();
        jobs.keySet().forEach(j -> depth(j, needs, jobs, depth, 0));
        Map<Integer, List<String>> columns = new java.util.TreeMap<>();
        jobs.keySet().forEach(j -> columns.computeIfAbsent(depth.get(j), k -> new ArrayList<>()).add(j));
        Map<String, int[]> at = new HashMap<>();
        int maxRows = 0;
        for (Map.Entry<Integer, List<String>> c : columns.entrySet()) {
            for (int i = 0; i < c.getValue().size(); i++) {
                at.put(c.getValue().get(i), new int[] {10 + c.getKey() * (W + GAP_X), 10 + i * (H + GAP_Y)});
            }
            maxRows = Math.max(maxRows, c.getValue().size());
        }
        int width = 20 + columns.size() * (W + GAP_X) - GAP_X;
        int height = 20 + maxRows * (H + GAP_Y) - GAP_Y;
        StringBuilder svg = new StringBuilder("<svg class=\"dag\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
                .append(' ').append(height).append("\" role=\"img\" aria-label=\"job graph\">")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\""
                        + " markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#888\"/></marker>"
                        + "</defs>");
        for (String job : jobs.keySet()) {
            for (String need : needs.getOrDefault(job, List.of())) {
                if (at.containsKey(need)) {
                    int[] from = at.get(need);
                    int[] to = at.get(job);
                    svg.append("<path class=\"edge\" d=\"M").append(from[0] + W).append(',').append(from[1] + H / 2)
                            .append(" C").append(from[0] + W + GAP_X / 2).append(',').append(from[1] + H / 2)
                            .append(' ').append(to[0] - GAP_X / 2).append(',').append(to[1] + H / 2).append(' ')
                            .append(to[0]).append(',').append(to[1] + H / 2)
                            .append("\" fill=\"none\" stroke=\"#888\" marker-end=\"url(#arrow)\"/>");
                }
            }
        }
        for (JobNode n : jobs.values()) {
            int[] p = at.get(n.job());
            String label = Html.escape(n.job()) + (n.tasks() > 1 ? " ×" + n.tasks() : "");
            svg.append("<a href=\"#job-").append(Html.escape(n.job())).append("\"><g class=\"job status-")
                    .append(Html.cssClass(n.status())).append("\" data-job=\"").append(Html.escape(n.job()))
                    .append("\" data-status=\"").append(Html.escape(n.status())).append("\">")
                    .append("<rect x=\"").append(p[0]).append("\" y=\"").append(p[1]).append("\" width=\"").append(W)
                    .append("\" height=\"").append(H).append("\" rx=\"6\"/>")
                    .append("<text x=\"").append(p[0] + 10).append("\" y=\"").append(p[1] + 18).append("\">")
                    .append(label).append("</text>")
                    .append("<text class=\"sub\" x=\"").append(p[0] + 10).append("\" y=\"").append(p[1] + 35)
                    .append("\">").append(Html.escape(n.status()))
                    .append(n.durationMs() != null ? " · " + Html.duration(n.durationMs()) : "").append("</text>")
                    .append("</g></a>");
        }
        return svg.append("</svg>").toString();
    }

    /** Each job with the state of its tasks together: running beats failed beats the rest; all alike is that. */
    public static Map<String, JobNode> jobs(BuildRow build) {
        Map<String, List<BuildRow.TaskRow>> byJob = new LinkedHashMap<>();
        build.tasks().forEach(t -> byJob.computeIfAbsent(t.job(), k -> new ArrayList<>()).add(t));
        Map<String, JobNode> out = new LinkedHashMap<>();
        byJob.forEach((job, tasks) -> {
            Long longest = tasks.stream().map(BuildRow.TaskRow::durationMs).filter(java.util.Objects::nonNull)
                    .max(Long::compare).orElse(null);
            out.put(job, new JobNode(job, combined(tasks), longest, tasks.size()));
        });
        return out;
    }

    private static String combined(List<BuildRow.TaskRow> tasks) {
        for (String s : List.of("running", "failed", "errored", "timed out", "cancelled", "queued")) {
            if (tasks.stream().anyMatch(t -> t.status().equals(s))) {
                return s;
            }
        }
        return tasks.stream().allMatch(t -> t.status().equals("skipped")) ? "skipped" : "succeeded";
    }

    private static int depth(String job, Map<String, List<String>> needs, Map<String, JobNode> jobs,
                             Map<String, Integer> memo, int guard) {
        Integer known = memo.get(job);
        if (known != null) {
            return known;
        }
        int d = 0;
        if (guard < jobs.size()) {
            for (String n : needs.getOrDefault(job, List.of())) {
                if (jobs.containsKey(n)) {
                    d = Math.max(d, depth(n, needs, jobs, memo, guard + 1) + 1);
                }
            }
        }
        memo.put(job, d);
        return d;
    }
}

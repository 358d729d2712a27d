package dev.gantry.core.load;

import dev.gantry.core.audio.Bound;
import dev.gantry.core.audio.Comparison;
import dev.gantry.core.audio.Metric;
import dev.gantry.core.pipeline.AudioCheckStep;
import dev.gantry.core.pipeline.StepDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code audio_check: {files, expect, compare, report, name}}: bounds are a value ({@code sample_rate: 16000}) or
 * {@code {min, max}}; durations use duration syntax ({@code duration: {min: 500ms}}).
 */
final class AudioCheckStepParser implements StepParser {

    @Override
    public String type() {
        return AudioCheckStep.TYPE;
    }

    @Override
    public Optional<StepDef> parse(YNode value, String stepPath) {
        Optional<Map<String, YNode>> m = value.mapping(Keys.AUDIO_CHECK);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Map<String, YNode> keys = m.get();
        if (!keys.containsKey("files")) {
            value.problem("audio_check needs 'files', e.g. files: out/*.wav");
            return Optional.empty();
        }
        List<String> files = keys.get("files").textList().orElse(List.of());
        if (!RunStepParser.allInside(keys.get("files"), files)) {
            return Optional.empty();
        }
        List<Bound> bounds = Optional.ofNullable(keys.get("expect")).map(AudioCheckStepParser::bounds).orElse(List.of());
        List<Comparison> compare = new ArrayList<>();
        Optional.ofNullable(keys.get("compare")).flatMap(YNode::sequence).ifPresent(items ->
                items.forEach(i -> comparison(i).ifPresent(compare::add)));
        if (bounds.isEmpty() && compare.isEmpty() && !keys.containsKey("expect")) {
            value.problem("audio_check needs 'expect' or 'compare': what should the audio be like?");
        }
        String report = Optional.ofNullable(keys.get("report")).flatMap(YNode::nonBlank)
                .orElse(AudioCheckStep.DEFAULT_REPORT_DIR);
        String name = Optional.ofNullable(keys.get("name")).flatMap(YNode::nonBlank)
                .orElse("audio check " + String.join(" ", files));
        return Optional.of(new AudioCheckStep(name, files, bounds, compare, report, value.location(), stepPath));
    }

    private static List<Bound> bounds(YNode node) {
        List<Bound> bounds = new ArrayList<>();
        node.mapping(Metric.keys()).ifPresent(m -> m.forEach((key, v) -> {
            Metric metric = Metric.of(key).orElseThrow();
            if (v.isScalar()) {
                number(v, metric).ifPresent(x -> bounds.add(new Bound(metric, x, x)));
                return;
            }
            v.mapping(List.of("min", "max")).ifPresent(mm -> {
                Double min = Optional.ofNullable(mm.get("min")).flatMap(n -> number(n, metric)).orElse(null);
                Double max = Optional.ofNullable(mm.get("max")).flatMap(n -> number(n, metric)).orElse(null);
                if (mm.isEmpty()) {
                    v.problem("give 'min', 'max' or both");
                } else if (min == null && max == null) {
                    return;
                } else if (min != null && max != null && min > max) {
                    v.problem("min is above max");
                } else {
                    bounds.add(new Bound(metric, min, max));
                }
            });
        }));
        return bounds;
    }

    private static Optional<Double> number(YNode n, Metric metric) {
        if (metric.isDuration()) {
            return n.duration().map(d -> d.toNanos() / 1e9);
        }
        Optional<String> t = n.text();
        try {
            return t.map(Double::parseDouble);
        } catch (NumberFormatException e) {
            n.problem("expected a number, found '" + t.orElse("") + "'");
            return Optional.empty();
        }
    }

    private static Optional<Comparison> comparison(YNode node) {
        Map<String, YNode> keys = node.mapping(Keys.AUDIO_COMPARE).orElse(null);
        if (keys == null) {
            return Optional.empty();
        }
        for (String required : List.of("metric", "a", "b")) {
            if (!keys.containsKey(required)) {
                node.problem("a comparison needs 'metric', 'a' and 'b'; '" + required + "' is missing");
                return Optional.empty();
            }
        }
        String metricName = keys.get("metric").text().orElse("");
        Optional<Metric> metric = Metric.of(metricName);
        if (metric.isEmpty()) {
            keys.get("metric").problem("unknown metric '" + metricName + "'" + Suggestions.hint(metricName, Metric.keys())
                    + "; metrics: " + String.join(", ", Metric.keys()));
            return Optional.empty();
        }
        List<String> relations = keys.keySet().stream().filter(k -> List.of("at_least", "at_most", "within").contains(k))
                .toList();
        if (relations.size() != 1) {
            node.problem("a comparison needs exactly one of at_least, at_most, within");
            return Optional.empty();
        }
        String rel = relations.get(0);
        Optional<Double> factor = number(keys.get(rel), Metric.CHANNELS);
        return factor.map(f -> new Comparison(metric.get(), keys.get("a").text().orElse(""),
                keys.get("b").text().orElse(""), Comparison.Relation.valueOf(rel.toUpperCase(java.util.Locale.ROOT)), f));
    }
}

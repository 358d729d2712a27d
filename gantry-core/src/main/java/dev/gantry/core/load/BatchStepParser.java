package dev.gantry.core.load;

import dev.gantry.core.batch.BatchSpec;
import dev.gantry.core.batch.BatchUrl;
import dev.gantry.core.batch.RequestTemplate;
import dev.gantry.core.pipeline.BatchStep;
import dev.gantry.core.pipeline.Location;
import dev.gantry.core.pipeline.StepDef;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code batch: {input, service | url, request, id, output, concurrency, retries, timeout, flush, name,
 * retry_errors}}. That {@code service} names one of the job's services is checked with the whole job, by
 * {@link dev.gantry.core.validate.PipelineValidator}.
 */
final class BatchStepParser implements StepParser {

    static final int MAX_FLUSH_EVERY = 100_000;
    private static final Pattern ID_FIELD = Pattern.compile("[A-Za-z0-9_-]+");

    @Override
    public String type() {
        return BatchStep.TYPE;
    }

    @Override
    public Optional<StepDef> parse(YNode value, String stepPath) {
        Optional<Map<String, YNode>> m = value.mapping(Keys.BATCH);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Map<String, YNode> keys = m.get();
        boolean allKnown = value.writtenKeyCount() == keys.size();
        boolean broken = !allKnown;

        String input = required(value, keys, "input", allKnown, "a batch needs 'input': the JSONL file, one JSON "
                + "object per line, e.g. input: books/chapter1.jsonl");
        String output = required(value, keys, "output", allKnown, "a batch needs 'output': the directory for the "
                + "answers, results.jsonl and errors.jsonl, e.g. output: out/chapter1");
        broken |= input == null || output == null;
        if (output != null && isWorkingCopyItself(output)) {
            keys.get("output").problem("output is the working copy itself: name a directory for the answers, e.g. "
                    + "out/batch");
            broken = true;
        }

        String service = null;
        Location serviceAt = null;
        String url = null;
        if (keys.containsKey("service") == keys.containsKey("url")) {
            if (allKnown || keys.containsKey("service")) {
                value.problem("a batch needs either 'service' (one of the job's services) or 'url' (any other), "
                        + (keys.containsKey("service") ? "not both" : "found neither"));
            }
            broken = true;
        } else if (keys.containsKey("service")) {
            YNode s = keys.get("service");
            service = s.nonBlank().map(String::trim).orElse(null);
            serviceAt = s.location();
            broken |= service == null;
        } else {
            url = url(keys.get("url")).orElse(null);
            broken |= url == null;
        }

        RequestTemplate request = null;
        if (keys.containsKey("request")) {
            request = RequestTemplateParser.parse(keys.get("request")).orElse(null);
            broken |= request == null;
        }
        String id = BatchSpec.DEFAULT_ID;
        if (keys.containsKey("id")) {
            Optional<String> i = idField(keys.get("id"));
            broken |= i.isEmpty();
            id = i.orElse(id);
        }
        Optional<Integer> concurrency = read(keys, "concurrency", n -> n.integer(1, BatchSpec.MAX_CONCURRENCY),
                BatchSpec.DEFAULT_CONCURRENCY);
        Optional<Integer> retries = read(keys, "retries", n -> n.integer(0, BatchSpec.MAX_RETRIES),
                BatchSpec.DEFAULT_RETRIES);
        Optional<Duration> timeout = read(keys, "timeout", YNode::duration, BatchSpec.DEFAULT_TIMEOUT);
        Optional<Boolean> retryErrors = read(keys, "retry_errors", YNode::bool, false);
        Optional<BatchSpec.Flush> flush = read(keys, "flush", BatchStepParser::flush, BatchSpec.Flush.STANDARD);
        Optional<String> name = read(keys, "name", n -> n.nonBlank().map(String::trim), "batch " + input);
        broken |= concurrency.isEmpty() || retries.isEmpty() || timeout.isEmpty() || retryErrors.isEmpty()
                || flush.isEmpty() || name.isEmpty();
        if (broken) {
            return Optional.empty();
        }
        BatchSpec spec = new BatchSpec(input, request, id, output, concurrency.get(), retries.get(), timeout.get(),
                flush.get(), retryErrors.get());
        return Optional.of(new BatchStep(name.get(), spec, service, serviceAt, url, value.location(), stepPath));
    }

    /** A path inside the working copy, or null (reported, unless the key is missing among misspelt ones). */
    private static String required(YNode value, Map<String, YNode> keys, String key, boolean allKnown,
                                   String missing) {
        YNode n = keys.get(key);
        if (n == null) {
            if (allKnown) {
                value.problem(missing);
            }
            return null;
        }
        Optional<String> p = n.nonBlank().map(String::trim);
        if (p.isPresent() && !RunStepParser.staysInside(p.get())) {
            n.problem(key + " must stay inside the working copy: a relative path without '..'" + (key.equals("output")
                    ? " (a job's volume is mounted inside it: to keep answers across builds, name a directory on one)"
                    : ""));
            return null;
        }
        return p.orElse(null);
    }

    private static boolean isWorkingCopyItself(String path) {
        return Arrays.stream(path.split("/")).allMatch(s -> s.isEmpty() || s.equals("."));
    }

    /** {@code http(s)://host[:port][/prefix]}: each request's path is appended to it. */
    static Optional<String> url(YNode node) {
        Optional<String> t = node.nonBlank().map(String::trim);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        String url = t.get();
        String why = BatchUrl.problem(url);
        if (why != null) {
            node.problem("bad url '" + url + "': " + why + "; e.g. url: http://10.0.0.5:8000");
            return Optional.empty();
        }
        return Optional.of(BatchUrl.normalized(url));
    }

    /** The field naming each item: a plain field of the line's object. */
    static Optional<String> idField(YNode node) {
        return node.nonBlank().map(String::trim).filter(id -> {
            if (ID_FIELD.matcher(id).matches()) {
                return true;
            }
            node.problem("id names a field of each line, e.g. id: output_name; use letters, digits, '_' and '-' ("
                    + "found '" + id + "')");
            return false;
        });
    }

    static Optional<BatchSpec.Flush> flush(YNode node) {
        return node.mapping(Keys.BATCH_FLUSH).flatMap(keys -> {
            Optional<Integer> every = keys.containsKey("every")
                    ? keys.get("every").integer(1, MAX_FLUSH_EVERY) : Optional.of(BatchSpec.Flush.STANDARD.every());
            Optional<Duration> after = keys.containsKey("after")
                    ? keys.get("after").duration() : Optional.of(BatchSpec.Flush.STANDARD.after());
            if (node.writtenKeyCount() != keys.size()) {
                return Optional.empty();
            }
            return every.flatMap(e -> after.map(a -> new BatchSpec.Flush(e, a)));
        });
    }

    /** The key's value, its default when it is not written, or empty when it is written wrongly (reported). */
    private static <T> Optional<T> read(Map<String, YNode> keys, String key,
                                        java.util.function.Function<YNode, Optional<T>> reader, T dflt) {
        YNode n = keys.get(key);
        return n == null ? Optional.of(dflt) : reader.apply(n);
    }
}

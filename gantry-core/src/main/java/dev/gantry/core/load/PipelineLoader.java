package dev.gantry.core.load;

import dev.gantry.core.pipeline.Defaults;
import dev.gantry.core.pipeline.DeployStep;
import dev.gantry.core.pipeline.EnvironmentDef;
import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Limits;
import dev.gantry.core.pipeline.Serial;
import dev.gantry.core.pipeline.Sizes;
import dev.gantry.core.pipeline.MatrixDef;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.pipeline.Problems;
import dev.gantry.core.pipeline.Ref;
import dev.gantry.core.pipeline.Retention;
import dev.gantry.core.pipeline.RetryPolicy;
import dev.gantry.core.pipeline.ServiceDef;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.core.pipeline.Value;
import dev.gantry.core.pipeline.VolumeDef;
import dev.gantry.core.pipeline.WhenDef;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the text of a pipeline file into a {@link Pipeline}, strictly: YAML syntax errors, duplicate and unknown
 * keys, wrong types and bad values are all collected with their locations and thrown together as one
 * {@link PipelineException}. Whole-pipeline rules live in {@link dev.gantry.core.validate.PipelineValidator}.
 */
public final class PipelineLoader {

    /** The most tasks one job may expand to (matrix cells times parallelism). */
    public static final int MAX_TASKS_PER_JOB = 256;

    /**
     * The largest pipeline file read, in bytes (1 MiB): real pipelines are a few kilobytes, and parsing is the one
     * cost an anonymous push can make the server pay.
     */
    public static final int MAX_BYTES = 1024 * 1024;

    /** How deeply mappings and lists may nest; a pipeline needs about ten levels. */
    public static final int MAX_DEPTH = 64;

    private final StepTypes stepTypes;
    private final ImageRef fallbackImage;

    public PipelineLoader(StepTypes stepTypes) {
        this(stepTypes, null);
    }

    /**
     * @param fallbackImage the image of jobs that name none when the file has no {@code defaults.image} either
     *                      ({@code gantry run --image}); {@code image: none} still runs a job locally
     */
    public PipelineLoader(StepTypes stepTypes, ImageRef fallbackImage) {
        this.stepTypes = stepTypes;
        this.fallbackImage = fallbackImage;
    }

    /** Parses, reporting problems into {@code problems}; returns what could be read even when some of it was bad. */
    public Optional<Pipeline> parse(String file, byte[] content, Problems problems) {
        Optional<YNode> root = YamlText.root(file, content, problems, YamlText.PIPELINE);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        YNode top = root.get();
        return top.mapping(Keys.PIPELINE).map(keys -> pipeline(file, digest(content), top, keys));
    }

    /** Parses and throws a {@link PipelineException} listing every problem, if there is any. */
    public Pipeline load(String file, byte[] content) {
        Problems problems = new Problems();
        Optional<Pipeline> p = parse(file, content, problems);
        problems.throwIfAny();
        return p.orElseThrow();
    }

    private Pipeline pipeline(String file, String digest, YNode top, Map<String, YNode> keys) {
        String name = Optional.ofNullable(keys.get("name")).flatMap(YNode::nonBlank).orElse(defaultName(file));
        Map<String, Value> env = env(keys.get("env"));
        Defaults defaults = Optional.ofNullable(keys.get("defaults")).map(this::defaults)
                .orElse(new Defaults(Defaults.TIMEOUT, Defaults.SHELL, Defaults.GRACE_PERIOD, fallbackImage));
        Map<String, JobDef> jobs = new LinkedHashMap<>();
        YNode jobsNode = keys.get("jobs");
        if (jobsNode == null) {
            top.problem("a pipeline needs 'jobs'");
        } else {
            jobsNode.mapping(null).ifPresent(m -> {
                if (m.isEmpty()) {
                    jobsNode.problem("'jobs' is empty: define at least one job");
                }
                m.forEach((jobName, jobNode) -> job(jobName, jobNode, defaults).ifPresent(j -> jobs.put(jobName, j)));
            });
        }
        Map<String, EnvironmentDef> environments = opt(keys, "environments").map(EnvironmentsParser::environments)
                .orElse(Map.of());
        List<NotifyDef> notify = opt(keys, "notify").map(NotifyParser::notifications).orElse(List.of());
        Retention retention = opt(keys, "retention").flatMap(PipelineLoader::retention).orElse(Retention.FOREVER);
        return new Pipeline(name, file, digest, env, defaults, jobs, environments, notify, retention);
    }

    private static Optional<Retention> retention(YNode node) {
        return node.mapping(Keys.RETENTION).map(keys -> {
            Integer builds = opt(keys, "builds").flatMap(n -> n.integer(1, 1_000_000)).orElse(null);
            Integer days = opt(keys, "days").flatMap(n -> n.integer(1, 36_500)).orElse(null);
            if (keys.isEmpty()) {
                node.problem("'retention' needs 'builds', 'days' or both, e.g. {builds: 200, days: 90}");
            }
            return new Retention(builds, days);
        });
    }

    private static String defaultName(String file) {
        java.nio.file.Path p = java.nio.file.Path.of(file).toAbsolutePath().getParent();
        return p != null && p.getFileName() != null ? p.getFileName().toString() : "pipeline";
    }

    private Map<String, Value> env(YNode node) {
        return EnvParser.env(node).orElse(Map.of());
    }

    private Defaults defaults(YNode node) {
        Map<String, YNode> keys = node.mapping(Keys.DEFAULTS).orElse(Map.of());
        Duration timeout = opt(keys, "timeout").flatMap(YNode::duration).orElse(Defaults.TIMEOUT);
        Duration grace = opt(keys, "grace_period").flatMap(YNode::duration).orElse(Defaults.GRACE_PERIOD);
        List<String> shell = opt(keys, "shell").flatMap(n -> n.isScalar()
                ? n.nonBlank().map(s -> List.of(s.trim().split("\\s+")))
                : n.textList()).orElse(Defaults.SHELL);
        return new Defaults(timeout, shell, grace, ImageParser.defaults(keys.get("image")).orElse(fallbackImage));
    }

    private Optional<JobDef> job(String name, YNode node, Defaults defaults) {
        if (!Patterns.JOB_NAME.matcher(name).matches()) {
            node.problem("invalid job name '" + name + "': " + Patterns.JOB_RULE);
            return Optional.empty();
        }
        Optional<Map<String, YNode>> m = node.mapping(Keys.JOB);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Map<String, YNode> keys = m.get();
        List<Ref> needs = opt(keys, "needs").map(this::needs).orElse(List.of());
        List<StepDef> steps = opt(keys, "steps").map(this::steps).orElse(List.of());
        if (!keys.containsKey("steps") && !keys.containsKey("deploy")) {
            node.problem("job '" + name + "' has no steps: add 'steps' with at least one step, or a 'deploy'");
        } else if (keys.containsKey("steps") && keys.get("steps").isSequence()
                && keys.get("steps").sequence().orElseThrow().isEmpty()) {
            keys.get("steps").problem("job '" + name + "' has no steps: add at least one step"
                    + (keys.containsKey("deploy") ? ", or remove 'steps' to run the deploy alone" : ""));
        }
        Map<String, Value> env = env(keys.get("env"));
        Duration timeout = opt(keys, "timeout").flatMap(YNode::duration).orElse(null);
        RetryPolicy retry = opt(keys, "retry").map(this::retry).orElse(RetryPolicy.NONE);
        int parallelism = opt(keys, "parallelism").flatMap(n -> n.integer(1, MAX_TASKS_PER_JOB)).orElse(1);
        MatrixDef matrix = opt(keys, "matrix").map(this::matrix).orElse(MatrixDef.NONE);
        if (matrix.productSize() * parallelism > MAX_TASKS_PER_JOB) {
            keys.getOrDefault("matrix", node).problem("job '" + name + "' expands to " + matrix.productSize()
                    + " matrix cells x " + parallelism + " shards = " + matrix.productSize() * parallelism
                    + " tasks; the limit is " + MAX_TASKS_PER_JOB + ": remove axis values or lower parallelism");
            matrix = MatrixDef.NONE;
        }
        WhenDef when = opt(keys, "when").map(WhenParser::when).orElse(WhenDef.ALWAYS);
        Map<String, Integer> uses = opt(keys, "uses").map(this::uses).orElse(Map.of());
        Limits limits = opt(keys, "limits").map(this::limits).orElse(Limits.NONE);
        List<VolumeDef> volumes = opt(keys, "volumes").map(this::volumes).orElse(List.of());
        if (keys.containsKey("deploy")) {
            List<StepDef> withDeploy = new ArrayList<>(steps);
            new DeployParser(this::steps).deploy(name, keys.get("deploy"), volumes)
                    .ifPresent(d -> withDeploy.add(new DeployStep(name, d)));
            steps = withDeploy;
        }
        List<ServiceDef> services = opt(keys, "services").map(n -> new ServiceParser().services(n))
                .orElse(List.of());
        Serial serial = Serial.of(name, opt(keys, "serial").flatMap(YNode::bool).orElse(false),
                opt(keys, "serial_groups").flatMap(PipelineLoader::groups).orElse(List.of()),
                opt(keys, "max_in_flight").flatMap(n -> n.integer(1, 1000)).orElse(null));
        List<StepDef> onSuccess = opt(keys, "on_success").map(this::steps).orElse(List.of());
        List<StepDef> onFailure = opt(keys, "on_failure").map(this::steps).orElse(List.of());
        List<StepDef> ensure = opt(keys, "ensure").map(this::steps).orElse(List.of());
        ImageRef image = ImageParser.job(keys.get("image"), defaults.image());
        return Optional.of(new JobDef(name, node.location(), needs, steps, env, timeout, retry, parallelism, matrix,
                when, uses, limits, volumes, services, serial, onSuccess, onFailure, ensure, image));
    }

    private List<Ref> needs(YNode node) {
        if (node.isScalar()) {
            return node.nonBlank().map(n -> List.of(new Ref(n, node.location(), node.path()))).orElse(List.of());
        }
        List<Ref> refs = new ArrayList<>();
        node.sequence().ifPresent(items -> items.forEach(item -> item.nonBlank().ifPresent(n -> {
            if (refs.stream().anyMatch(r -> r.name().equals(n))) {
                item.problem("'" + n + "' is listed twice in needs");
            } else {
                refs.add(new Ref(n, item.location(), item.path()));
            }
        })));
        return refs;
    }

    private List<StepDef> steps(YNode node) {
        List<StepDef> steps = new ArrayList<>();
        node.sequence().ifPresent(items -> items.forEach(item -> step(item).ifPresent(steps::add)));
        return steps;
    }

    private Optional<StepDef> step(YNode item) {
        if (!item.isMapping()) {
            item.problem("a step is a mapping with one key naming its type, e.g. '- run: make test'; found "
                    + (item.isScalar() ? "'" + item.text().orElse("") + "'" : "something else"));
            return Optional.empty();
        }
        Map<String, YNode> keys = item.mapping(null).orElse(Map.of());
        if (keys.size() != 1) {
            item.problem("a step has exactly one key naming its type (" + String.join(", ", stepTypes.names())
                    + "); found " + (keys.isEmpty() ? "none" : String.join(", ", keys.keySet())));
            return Optional.empty();
        }
        Map.Entry<String, YNode> e = keys.entrySet().iterator().next();
        Optional<StepParser> parser = stepTypes.find(e.getKey());
        if (parser.isEmpty()) {
            e.getValue().problem("unknown step type '" + e.getKey() + "'" + Suggestions.hint(e.getKey(),
                    stepTypes.names()) + "; known types: " + String.join(", ", stepTypes.names()));
            return Optional.empty();
        }
        return parser.get().parse(e.getValue(), item.path());
    }

    private RetryPolicy retry(YNode node) {
        if (node.isScalar()) {
            return node.integer(1, 100).map(n -> new RetryPolicy(n, Set.of(), true)).orElse(RetryPolicy.NONE);
        }
        Map<String, YNode> keys = node.mapping(Keys.RETRY).orElse(Map.of());
        if (!keys.containsKey("attempts")) {
            node.problem("retry needs 'attempts' (total runs, including the first)");
        }
        int attempts = opt(keys, "attempts").flatMap(n -> n.integer(1, 100)).orElse(1);
        Set<Integer> codes = new TreeSet<>();
        opt(keys, "on_exit_codes").flatMap(YNode::sequence).ifPresent(items ->
                items.forEach(i -> i.integer(1, 255).ifPresent(codes::add)));
        boolean onTimeout = opt(keys, "on_timeout").flatMap(YNode::bool).orElse(true);
        return new RetryPolicy(attempts, codes, onTimeout);
    }

    private MatrixDef matrix(YNode node) {
        Map<String, YNode> keys = node.mapping(null).orElse(Map.of());
        Map<String, List<String>> axes = new LinkedHashMap<>();
        keys.forEach((axis, values) -> {
            if (axis.equals(Keys.MATRIX_EXCLUDE)) {
                return;
            }
            if (!Patterns.AXIS_NAME.matcher(axis).matches()) {
                values.problem("invalid matrix axis '" + axis + "': " + Patterns.AXIS_RULE);
                return;
            }
            values.sequence().ifPresent(items -> {
                List<String> vs = new ArrayList<>();
                for (YNode item : items) {
                    item.text().ifPresent(v -> {
                        if (vs.contains(v)) {
                            item.problem("value '" + v + "' appears twice on axis '" + axis + "'");
                        } else {
                            vs.add(v);
                        }
                    });
                }
                if (vs.isEmpty()) {
                    values.problem("matrix axis '" + axis + "' has no values");
                } else {
                    axes.put(axis, vs);
                }
            });
        });
        if (axes.isEmpty() && keys.keySet().stream().noneMatch(k -> !k.equals(Keys.MATRIX_EXCLUDE))) {
            node.problem("matrix has no axes: add e.g. 'os: [linux, mac]'");
        }
        List<Map<String, String>> exclude = new ArrayList<>();
        opt(keys, Keys.MATRIX_EXCLUDE).flatMap(YNode::sequence).ifPresent(items -> items.forEach(item ->
                item.mapping(axes.keySet()).ifPresent(m -> {
                    Map<String, String> ex = new LinkedHashMap<>();
                    m.forEach((axis, v) -> v.text().ifPresent(val -> {
                        if (!axes.get(axis).contains(val)) {
                            v.problem("'" + val + "' is not a value of axis '" + axis + "'"
                                    + Suggestions.hint(val, axes.get(axis)));
                        } else {
                            ex.put(axis, val);
                        }
                    }));
                    exclude.add(ex);
                })));
        return new MatrixDef(axes, exclude);
    }

    private List<VolumeDef> volumes(YNode node) {
        List<VolumeDef> volumes = new ArrayList<>();
        node.mapping(null).ifPresent(m -> m.forEach((name, v) -> {
            if (!Patterns.POOL_NAME.matcher(name).matches()) {
                v.problem("invalid volume name '" + name + "': " + Patterns.POOL_RULE);
                return;
            }
            String path = name;
            boolean readOnly = false;
            if (v.isScalar()) {
                path = v.nonBlank().orElse(name);
            } else if (v.isMapping()) {
                Map<String, YNode> k = v.mapping(Keys.VOLUME).orElse(Map.of());
                path = opt(k, "path").flatMap(YNode::nonBlank).orElse(name);
                readOnly = opt(k, "read_only").flatMap(YNode::bool).orElse(false);
            }
            if (path.startsWith("/") || java.util.Arrays.asList(path.split("/")).contains("..") || path.equals(".")) {
                v.problem("volume path '" + path + "' must be a directory inside the working copy, without '..'");
                return;
            }
            volumes.add(new VolumeDef(name, path, readOnly));
        }));
        return volumes;
    }

    private Limits limits(YNode node) {
        Map<String, YNode> keys = node.mapping(Keys.LIMITS).orElse(Map.of());
        return new Limits(opt(keys, "memory").flatMap(PipelineLoader::size).orElse(null),
                opt(keys, "gpu_memory").flatMap(PipelineLoader::size).orElse(null));
    }

    private static Optional<Long> size(YNode node) {
        Optional<String> t = node.text();
        Optional<Long> s = t.flatMap(Sizes::parse);
        if (t.isPresent() && s.isEmpty()) {
            node.problem("bad size '" + t.get() + "': write a number with a unit, e.g. 512m, 8g");
        }
        return s;
    }

    private Map<String, Integer> uses(YNode node) {
        Map<String, Integer> uses = new LinkedHashMap<>();
        node.mapping(null).ifPresent(m -> m.forEach((pool, count) -> {
            if (!Patterns.POOL_NAME.matcher(pool).matches()) {
                count.problem("invalid pool name '" + pool + "': " + Patterns.POOL_RULE);
            } else {
                count.integer(1, 1024).ifPresent(n -> uses.put(pool, n));
            }
        }));
        return uses;
    }

    /** {@code serial_groups}: one group name or a list of them, none blank. */
    private static Optional<List<String>> groups(YNode node) {
        if (node.isScalar()) {
            return node.nonBlank().map(List::of);
        }
        return node.sequence().map(items -> items.stream().map(YNode::nonBlank).flatMap(Optional::stream).toList());
    }

    private static Optional<YNode> opt(Map<String, YNode> keys, String key) {
        return Optional.ofNullable(keys.get(key));
    }

    static String digest(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

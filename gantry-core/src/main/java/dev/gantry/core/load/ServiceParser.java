package dev.gantry.core.load;

import dev.gantry.core.graph.Cycles;
import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.core.pipeline.ProbeDef;
import dev.gantry.core.pipeline.Ref;
import dev.gantry.core.pipeline.Restart;
import dev.gantry.core.pipeline.ServiceDef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a job's {@code services:} with their probes, and checks {@code depends_on} between them. */
final class ServiceParser {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");
    private static final Pattern STATUS = Pattern.compile("(\\d{3})(?:-(\\d{3}))?");

    /** The kinds of probe a service's {@code ready} and {@code live} take. */
    static final List<String> PROBE_KINDS = List.of("http", "tcp", "exec", "log");

    List<ServiceDef> services(YNode node) {
        Map<String, ServiceDef> services = new LinkedHashMap<>();
        node.mapping(null).ifPresent(m -> m.forEach((name, def) -> {
            if (!NAME.matcher(name).matches()) {
                def.problem("invalid service name '" + name + "': use lower-case letters, digits, '-' and '_', "
                        + "starting with a letter");
            } else {
                service(name, def).ifPresent(s -> services.put(name, s));
            }
        }));
        for (ServiceDef s : services.values()) {
            for (Ref dep : s.dependsOn()) {
                if (!services.containsKey(dep.name()) || dep.name().equals(s.name())) {
                    node.problemAt(dep.location(), dep.path(), "unknown service '" + dep.name() + "' in depends_on"
                            + Suggestions.hint(dep.name(), services.keySet().stream()
                            .filter(n -> !n.equals(s.name())).toList()));
                }
            }
        }
        String cycle = cycle(services);
        if (cycle != null) {
            node.problem("cycle in depends_on: " + cycle);
        }
        return new ArrayList<>(services.values());
    }

    private static String cycle(Map<String, ServiceDef> services) {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        services.forEach((name, s) -> edges.put(name, s.dependsOn().stream().map(Ref::name).toList()));
        return Cycles.find(edges).stream().findFirst().map(c -> String.join(" -> ", c)).orElse(null);
    }

    private Optional<ServiceDef> service(String name, YNode node) {
        if (node.isScalar()) {
            return node.nonBlank().map(cmd -> new ServiceDef(name, node.location(), cmd, Map.of(), null, List.of(),
                    null, null, "TERM", null, null, null));
        }
        return node.mapping(Keys.SERVICE).flatMap(keys -> service(name, node, keys));
    }

    /**
     * A service from the keys of its mapping, already read (with whatever keys its place allows: a deploy's
     * {@code service} also takes {@code port} and {@code restart}, read by its caller).
     */
    Optional<ServiceDef> service(String name, YNode node, Map<String, YNode> keys) {
        return service(name, node, keys, null);
    }

    /**
     * A service whose {@code restart: {max}} without {@code within} counts restarts over {@code restartWithin}
     * (null: over the service's whole run, as for a job's service).
     */
    Optional<ServiceDef> service(String name, YNode node, Map<String, YNode> keys, Duration restartWithin) {
        if (!keys.containsKey("command")) {
            node.problem("service '" + name + "' needs 'command' (use {{ port }} for the port Gantry gives it)");
            return Optional.empty();
        }
        Optional<String> command = keys.get("command").nonBlank();
        Map<String, dev.gantry.core.pipeline.Value> env = opt(keys, "env").flatMap(EnvParser::env)
                .orElse(Map.of());
        String dir = opt(keys, "working_directory").flatMap(YNode::nonBlank).orElse(null);
        if (dir != null && !RunStepParser.staysInside(dir)) {
            keys.get("working_directory").problem("working_directory must stay inside the working copy: "
                    + "use a relative path without '..'");
            dir = null;
        }
        List<Ref> deps = new ArrayList<>();
        opt(keys, "depends_on").flatMap(YNode::sequence).ifPresent(items -> items.forEach(i ->
                i.nonBlank().ifPresent(n -> deps.add(new Ref(n, i.location(), i.path())))));
        ProbeDef ready = opt(keys, "ready").flatMap(this::probe).orElse(null);
        ProbeDef live = opt(keys, "live").flatMap(this::probe).orElse(null);
        String signal = "TERM";
        Duration grace = null;
        if (keys.containsKey("stop")) {
            Map<String, YNode> stop = keys.get("stop").mapping(Keys.STOP).orElse(Map.of());
            signal = opt(stop, "signal").flatMap(YNode::nonBlank)
                    .map(s -> s.toUpperCase(Locale.ROOT).replaceFirst("^SIG", "")).orElse("TERM");
            if (!ServiceDef.SIGNALS.contains(signal)) {
                stop.get("signal").problem("unknown signal '" + signal + "'; use one of "
                        + String.join(", ", ServiceDef.SIGNALS));
                signal = "TERM";
            }
            grace = opt(stop, "grace_period").flatMap(YNode::duration).orElse(null);
        }
        Restart restart = null;
        if (keys.containsKey("restart")) {
            restart = restart(keys.get("restart"), restartWithin).orElse(null);
            if (restart == null) {
                return Optional.empty();
            }
        }
        ImageRef image = ImageParser.service(keys.get("image")).orElse(null);
        String wd = dir;
        String sig = signal;
        Duration g = grace;
        Restart r = restart;
        return command.map(c -> new ServiceDef(name, node.location(), c, env, wd, deps, ready, live, sig, g, r,
                image));
    }

    /** {@code restart: {max, within}}: {@code max} from 0 to 100, default {@link Restart#STANDARD}'s. */
    static Optional<Restart> restart(YNode node, Duration defaultWithin) {
        return node.mapping(Keys.RESTART).map(keys -> new Restart(
                opt(keys, "max").flatMap(n -> n.integer(0, 100)).orElse(Restart.STANDARD.max()),
                opt(keys, "within").flatMap(YNode::duration).orElse(defaultWithin)));
    }

    Optional<ProbeDef> probe(YNode node) {
        return node.mapping(Keys.PROBE).flatMap(keys -> probe(node, keys, PROBE_KINDS, ProbeDef.PERIOD,
                ProbeDef.TIMEOUT));
    }

    /**
     * A probe from the keys of its mapping, already read, allowing only {@code allowedKinds} and defaulting
     * {@code period} and {@code timeout} as its place needs (a deploy's monitor probes less often than readiness).
     */
    Optional<ProbeDef> probe(YNode node, Map<String, YNode> keys, List<String> allowedKinds, Duration period,
                             Duration timeout) {
        List<String> kinds = keys.keySet().stream().filter(PROBE_KINDS::contains).toList();
        if (kinds.size() != 1) {
            node.problem("a probe needs exactly one of " + String.join(", ", allowedKinds) + "; found "
                    + (kinds.isEmpty() ? "none" : String.join(", ", kinds)));
            return Optional.empty();
        }
        String kind = kinds.get(0);
        YNode k = keys.get(kind);
        ProbeDef.HttpCheck http = null;
        int tcpPort = 0;
        String exec = null;
        String log = null;
        switch (kind) {
            case "http" -> http = http(k).orElse(null);
            case "tcp" -> {
                if (!"true".equals(k.text().orElse(""))) {
                    tcpPort = k.integer(1, 65535).orElse(0);
                }
            }
            case "exec" -> exec = k.nonBlank().orElse(null);
            default -> {
                log = k.nonBlank().orElse(null);
                if (log != null) {
                    try {
                        Pattern.compile(log);
                    } catch (PatternSyntaxException e) {
                        k.problem("invalid regular expression: " + e.getDescription());
                        log = null;
                    }
                }
            }
        }
        if (("http".equals(kind) && http == null) || ("exec".equals(kind) && exec == null)
                || ("log".equals(kind) && log == null)) {
            return Optional.empty();
        }
        return Optional.of(new ProbeDef(ProbeDef.Kind.valueOf(kind.toUpperCase(Locale.ROOT)), http, tcpPort, exec, log,
                dur(keys, "initial_delay", ProbeDef.INITIAL_DELAY, true), dur(keys, "period", period, false),
                dur(keys, "timeout", timeout, false),
                opt(keys, "success_threshold").flatMap(n -> n.integer(1, 100)).orElse(ProbeDef.SUCCESS_THRESHOLD),
                opt(keys, "failure_threshold").flatMap(n -> n.integer(1, 100)).orElse(ProbeDef.FAILURE_THRESHOLD),
                dur(keys, "startup_timeout", ProbeDef.STARTUP_TIMEOUT, false)));
    }

    private static Duration dur(Map<String, YNode> keys, String key, Duration dflt, boolean zeroAllowed) {
        YNode n = keys.get(key);
        if (n == null) {
            return dflt;
        }
        if (zeroAllowed && n.text().map(t -> t.matches("0+(ms|s|m|h)?")).orElse(false)) {
            return Duration.ZERO;
        }
        return n.duration().orElse(dflt);
    }

    private Optional<ProbeDef.HttpCheck> http(YNode node) {
        if (node.isScalar()) {
            return node.nonBlank().map(t -> new ProbeDef.HttpCheck(t, "GET", null, 200, 399, Map.of()));
        }
        Map<String, YNode> keys = node.mapping(Keys.HTTP_PROBE).orElse(null);
        if (keys == null) {
            return Optional.empty();
        }
        String path = opt(keys, "path").flatMap(YNode::nonBlank).orElse(null);
        String url = opt(keys, "url").flatMap(YNode::nonBlank).orElse(null);
        if ((path == null) == (url == null)) {
            node.problem("an http probe needs either 'path' (on the service) or 'url', not both");
            return Optional.empty();
        }
        if (path != null && !path.startsWith("/")) {
            keys.get("path").problem("path must start with '/', e.g. /health/ready");
            return Optional.empty();
        }
        String method = opt(keys, "method").flatMap(YNode::nonBlank).map(m -> m.toUpperCase(Locale.ROOT))
                .orElse("GET");
        String body = opt(keys, "body").flatMap(YNode::text).orElse(null);
        int min = 200;
        int max = 399;
        if (keys.containsKey("status")) {
            String s = keys.get("status").text().orElse("").trim();
            var matcher = STATUS.matcher(s);
            if (matcher.matches()) {
                min = Integer.parseInt(matcher.group(1));
                max = matcher.group(2) == null ? min : Integer.parseInt(matcher.group(2));
            } else {
                keys.get("status").problem("status must be a code or a range, e.g. 200 or 200-299");
            }
        }
        Map<String, String> json = opt(keys, "json").flatMap(n -> n.mapping(null)).map(entries -> {
            Map<String, String> out = new LinkedHashMap<>();
            entries.forEach((k, v) -> v.text().ifPresent(t -> out.put(k, t)));
            return out;
        }).orElse(Map.of());
        return Optional.of(new ProbeDef.HttpCheck(path != null ? path : url, method, body, min, max, json));
    }

    private static Optional<YNode> opt(Map<String, YNode> keys, String key) {
        return Optional.ofNullable(keys.get(key));
    }
}

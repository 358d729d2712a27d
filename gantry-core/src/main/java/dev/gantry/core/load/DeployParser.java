package dev.gantry.core.load;

import dev.gantry.core.pipeline.Restart;
import dev.gantry.core.glob.Glob;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.Location;
import dev.gantry.core.pipeline.ProbeDef;
import dev.gantry.core.pipeline.ServiceDef;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.core.pipeline.VolumeDef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A job's {@code deploy}: the environment, what a release is made of, its service and stable port, the strategy,
 * the gate (ordinary steps), rollback and monitoring. What is missing altogether ({@code service}, its
 * {@code port}) and what depends on other parts of the file (the environment's name) is checked by
 * {@link dev.gantry.core.validate.PipelineValidator}; what is written wrongly is reported here, and then no
 * definition is returned.
 */
final class DeployParser {

    /** How often a live release is probed unless {@code monitor.period} says otherwise. */
    static final Duration MONITOR_PERIOD = Duration.ofSeconds(30);

    /** One monitor probe's time limit by default: a busy model server may answer slowly without being down. */
    static final Duration MONITOR_TIMEOUT = Duration.ofSeconds(5);

    private static final List<String> MONITOR_KINDS = List.of("http", "tcp", "exec");

    private final Function<YNode, List<StepDef>> steps;
    private final ServiceParser services = new ServiceParser();

    /** @param steps the ordinary step parser, for the gate */
    DeployParser(Function<YNode, List<StepDef>> steps) {
        this.steps = steps;
    }

    Optional<DeployDef> deploy(String job, YNode node, List<VolumeDef> volumes) {
        Optional<Map<String, YNode>> m = node.mapping(Keys.DEPLOY);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Map<String, YNode> keys = m.get();
        boolean broken = false;

        String environment = DeployDef.AUTO;
        Location environmentAt = node.location();
        if (keys.containsKey("environment")) {
            Optional<String> e = keys.get("environment").nonBlank();
            broken |= e.isEmpty();
            environment = e.orElse(DeployDef.AUTO);
            environmentAt = keys.get("environment").location();
        }
        DeployDef.Release release = opt(keys, "release").map(n -> release(n, volumes)).orElse(DeployDef.Release.NONE);

        ServiceDef service = null;
        int port = 0;
        Restart restart = Restart.STANDARD;
        YNode serviceNode = keys.get("service");
        if (serviceNode != null) {
            Optional<Map<String, YNode>> s = serviceNode.mapping(Keys.DEPLOY_SERVICE);
            service = s.flatMap(k -> services.service(job, serviceNode, k, Restart.STANDARD.within())).orElse(null);
            broken |= service == null;
            Map<String, YNode> sk = s.orElse(Map.of());
            if (sk.containsKey("port")) {
                Optional<Integer> p = sk.get("port").integer(1, 65535);
                broken |= p.isEmpty();
                port = p.orElse(0);
            }
            if (service != null && service.restart() != null) {
                restart = service.restart();
            }
        }
        DeployDef.Strategy strategy = opt(keys, "strategy").flatMap(n -> Choices.choice(n, "strategy",
                DeployDef.Strategy.values(), DeployDef.Strategy::yamlName)).orElse(DeployDef.Strategy.REPLACE);
        List<StepDef> gate = opt(keys, "gate").map(this::gate).orElse(List.of());
        Duration gateTimeout = opt(keys, "gate_timeout").flatMap(YNode::duration).orElse(DeployDef.GATE_TIMEOUT);
        DeployDef.Rollback rollback = opt(keys, "rollback").flatMap(n -> Choices.choice(n, "rollback",
                DeployDef.Rollback.values(), DeployDef.Rollback::yamlName)).orElse(DeployDef.Rollback.AUTO);
        DeployDef.Monitor monitor = null;
        if (keys.containsKey("monitor")) {
            Optional<DeployDef.Monitor> mon = monitor(keys.get("monitor"));
            broken |= mon.isEmpty();
            monitor = mon.orElse(null);
        }
        if (broken) {
            return Optional.empty();
        }
        return Optional.of(new DeployDef(node.location(), node.path(), environment, environmentAt, release, service,
                port, restart, strategy, gate, gateTimeout, rollback, monitor));
    }

    private DeployDef.Release release(YNode node, List<VolumeDef> volumes) {
        Map<String, YNode> keys = node.mapping(Keys.RELEASE).orElse(Map.of());
        List<String> files = opt(keys, "files").flatMap(n -> NonEmptyLists.of(n, "path")
                .filter(paths -> plainPathsInside(n, paths))).orElse(List.of());
        List<String> names = new ArrayList<>();
        opt(keys, "volumes").ifPresent(n -> {
            List<String> declared = volumes.stream().map(VolumeDef::name).toList();
            List<YNode> items = n.isScalar() ? List.of(n) : n.sequence().orElse(List.of());
            for (YNode item : items) {
                item.nonBlank().ifPresent(name -> {
                    if (declared.contains(name)) {
                        names.add(name);
                    } else {
                        item.problem("unknown volume '" + name + "' in release.volumes"
                                + Suggestions.hint(name, declared) + (declared.isEmpty()
                                ? ": the job declares no volumes; add it under the job's 'volumes'"
                                : "; the job declares: " + String.join(", ", declared)));
                    }
                });
            }
        });
        return new DeployDef.Release(files, names);
    }

    /** Release files are copied as named: plain paths inside the working copy, not globs. */
    private static boolean plainPathsInside(YNode node, List<String> paths) {
        for (String p : paths) {
            if (Glob.isPattern(p)) {
                node.problem("'" + p + "' is a glob: release files are paths of files or directories, copied as"
                        + " named (a directory with everything in it)");
                return false;
            }
        }
        return RunStepParser.allInside(node, paths);
    }

    private List<StepDef> gate(YNode node) {
        if (node.isSequence() && node.sequence().orElseThrow().isEmpty()) {
            node.problem("the gate is empty: add a step that checks the candidate at $GANTRY_RELEASE_URL, or "
                    + "remove 'gate'");
            return List.of();
        }
        return steps.apply(node);
    }

    private Optional<DeployDef.Monitor> monitor(YNode node) {
        return node.mapping(Keys.MONITOR).flatMap(keys -> {
            Optional<ProbeDef> probe = services.probe(node, keys, MONITOR_KINDS, MONITOR_PERIOD, MONITOR_TIMEOUT)
                    .map(DeployParser::whileLive);
            DeployDef.MonitorAction action = opt(keys, "on_failure").flatMap(n -> Choices.choice(n, "on_failure",
                    DeployDef.MonitorAction.values(), DeployDef.MonitorAction::yamlName))
                    .orElse(DeployDef.MonitorAction.ALERT);
            return probe.map(p -> new DeployDef.Monitor(p, action));
        });
    }

    /** A monitor probes a release that is already live: no start-up grace, every failure counts. */
    private static ProbeDef whileLive(ProbeDef p) {
        return new ProbeDef(p.kind(), p.http(), p.tcpPort(), p.exec(), p.log(), Duration.ZERO, p.period(),
                p.timeout(), p.successThreshold(), p.failureThreshold(), Duration.ZERO);
    }

    private static Optional<YNode> opt(Map<String, YNode> keys, String key) {
        return Optional.ofNullable(keys.get(key));
    }
}

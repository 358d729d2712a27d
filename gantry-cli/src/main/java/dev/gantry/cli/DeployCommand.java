package dev.gantry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.deploy.Release;
import dev.gantry.engine.deploy.Deployments;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gantry deploy status|stop ENV}: the live release of an environment deployed by {@code gantry run}; the
 * parent command itself, {@code gantry deploy ENV --build N}, asks a server to deploy a build's release
 * ({@link PromoteCommand}).
 */
final class DeployCommand {

    private DeployCommand() {
    }

    static CommandLine command(Main main) {
        return new CommandLine(new PromoteCommand()).addSubcommand(new Status(main)).addSubcommand(new Stop(main));
    }

    @Command(name = "status", description = "What is live in an environment: release, process, port, health.")
    static final class Status implements Callable<Integer> {

        @Mixin
        LocalEnvironments where;

        @Option(names = "--json", description = "Print a JSON object instead of text.")
        boolean json;

        private final Main main;

        Status(Main main) {
            this.main = main;
        }

        @Override
        public Integer call() throws Exception {
            try (LocalEnvironments.Opened env = where.open(main.env())) {
                Deployments.EnvironmentStatus s = env == null ? null
                        : env.deployments().status(env.pipeline(), where.environment);
                Release live = s == null ? null : s.live();
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("environment", where.environment);
                    m.put("live", live == null ? null : ReleaseJson.of(live));
                    m.put("running", s != null && s.running());
                    m.put("pids", s == null ? java.util.List.of() : s.pids().stream().sorted().toList());
                    m.put("port", s == null || live == null ? null : s.port());
                    m.put("since", s == null ? null : ReleaseJson.text(s.since()));
                    m.put("health", s == null ? "none: nothing was deployed" : s.health());
                    main.out().println(new ObjectMapper().writeValueAsString(m));
                    return ExitCodes.OK;
                }
                if (live == null) {
                    main.out().println("nothing is live in " + where.environment);
                    return ExitCodes.OK;
                }
                main.out().println(where.environment + ": release " + live.number() + " (build #" + live.build()
                        + (live.commit() == null ? "" : ", " + live.commit()) + ")");
                main.out().println("  port:    " + s.port());
                main.out().println("  since:   " + ReleaseJson.shortTime(s.since()));
                main.out().println("  process: " + (s.running() ? "running, pid " + s.pids().stream().sorted()
                        .map(String::valueOf).reduce((a, b) -> a + " " + b).orElse("") : "not running"));
                main.out().println("  health:  " + s.health());
                main.out().println("  monitor: none under gantry run (gantry server supervises and monitors)");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "stop", description = "Stop the live release of an environment (it becomes stopped).")
    static final class Stop implements Callable<Integer> {

        @Mixin
        LocalEnvironments where;

        private final Main main;

        Stop(Main main) {
            this.main = main;
        }

        @Override
        public Integer call() throws Exception {
            try (LocalEnvironments.Opened env = where.open(main.env())) {
                if (env == null) {
                    main.err().println("gantry: nothing is live in " + where.environment + ": nothing was deployed"
                            + " beside this pipeline");
                    return ExitCodes.INVALID;
                }
                Release r = env.deployments().stop(env.pipeline(), where.environment);
                main.out().println("stopped release " + r.number() + " of " + where.environment);
                return ExitCodes.OK;
            }
        }
    }
}

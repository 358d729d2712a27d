package dev.gantry.cli;

import dev.gantry.engine.deploy.Deployments;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gantry rollback ENV [--to N]}: puts an earlier release back, gated like a deploy; the release that was
 * live becomes {@code rolled_back}.
 */
@Command(name = "rollback", description = "Put an earlier release of an environment back (the previous good one,"
        + " or --to N), gated like a deploy.")
final class RollbackCommand implements Callable<Integer> {

    @Mixin
    LocalEnvironments where;

    @Option(names = "--to", paramLabel = "N", description = "The release to put back (default: the previous good"
            + " one).")
    Integer to;

    private final Main main;

    RollbackCommand(Main main) {
        this.main = main;
    }

    @Override
    public Integer call() throws Exception {
        try (LocalEnvironments.Opened env = where.open(main.env())) {
            if (env == null) {
                main.err().println("gantry: no releases of " + where.environment + " to roll back to: nothing was"
                        + " deployed beside this pipeline");
                return ExitCodes.INVALID;
            }
            Deployments.RollbackResult r = env.deployments().rollback(env.pipeline(), where.environment, to,
                    line -> main.out().println(line));
            if (r.live()) {
                main.out().println("nothing monitors release " + r.target() + " under gantry run (gantry server"
                        + " supervises and monitors)");
                return ExitCodes.OK;
            }
            main.err().println("gantry: the rollback to release " + r.target() + " failed: " + r.reason() + "; "
                    + (r.serving() == null ? "nothing serves " + where.environment
                    : "release " + r.serving() + " serves " + where.environment));
            return ExitCodes.FAILED;
        }
    }
}

package dev.gantry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.deploy.Release;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gantry releases ENV}: an environment's release history, newest first. */
@Command(name = "releases", description = "List an environment's releases (newest first) deployed by gantry run.")
final class ReleasesCommand implements Callable<Integer> {

    @Mixin
    LocalEnvironments where;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    private final Main main;

    ReleasesCommand(Main main) {
        this.main = main;
    }

    @Override
    public Integer call() throws Exception {
        try (LocalEnvironments.Opened env = where.open(main.env())) {
            List<Release> releases = env == null ? List.of()
                    : env.store().releases().list(env.pipeline(), where.environment);
            if (json) {
                main.out().println(new ObjectMapper().writeValueAsString(releases.stream().map(ReleaseJson::of)
                        .toList()));
                return ExitCodes.OK;
            }
            if (releases.isEmpty()) {
                main.out().println("no releases of " + where.environment + " yet: a deploy job makes them");
                return ExitCodes.OK;
            }
            String format = "%7s  %-11s  %6s  %-24s  %-19s  %-19s  %s";
            main.out().println(String.format(format, "RELEASE", "STATUS", "BUILD", "REVISION", "CREATED", "LIVE",
                    "REASON"));
            for (Release r : releases) {
                String rev = (r.tag() != null ? r.tag() : r.branch() == null ? "" : r.branch())
                        + (r.commit() == null ? "" : "@" + r.commit().substring(0, Math.min(8, r.commit().length())));
                main.out().println(String.format(format, r.number(), r.status().wireName(), "#" + r.build(), rev,
                        ReleaseJson.shortTime(r.createdAt()), ReleaseJson.shortTime(r.liveAt()),
                        r.reason() == null ? "" : r.reason().lines().findFirst().orElse("")));
            }
        }
        return ExitCodes.OK;
    }
}

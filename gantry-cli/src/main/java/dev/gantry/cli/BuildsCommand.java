package dev.gantry.cli;

import dev.gantry.core.pipeline.Durations;
import dev.gantry.engine.local.LocalBuild;
import dev.gantry.store.BuildRow;
import dev.gantry.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gantry builds}: the recent builds of a pipeline, from the store {@code gantry run} writes to. */
@Command(name = "builds", description = "List the recent builds recorded under .gantry/ beside a pipeline.")
final class BuildsCommand implements Callable<Integer> {

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--limit", defaultValue = "20", description = "How many (default 20), newest first.")
    int limit;

    @Option(names = "--status", description = "Only builds with this status, e.g. failed.")
    String status;

    private final Main main;

    BuildsCommand(Main main) {
        this.main = main;
    }

    @Override
    public Integer call() {
        Path file = pipeline.file();
        Path db = file.getParent().resolve(LocalBuild.STATE_DIR).resolve("db");
        if (!Files.isDirectory(db)) {
            main.out().println("no builds recorded yet beside " + file.getFileName() + ": run gantry run first");
            return ExitCodes.OK;
        }
        try (Store store = Store.embedded(db)) {
            List<BuildRow> builds = store.builds().list(null, status, 0, limit);
            String format = "%6s  %-10s  %-24s  %9s  %s";
            main.out().println(String.format(format, "BUILD", "STATUS", "STARTED", "DURATION", "PIPELINE / REVISION"));
            for (BuildRow b : builds) {
                String took = b.finishedAt() == null ? "running"
                        : Durations.format(Duration.between(b.startedAt(), b.finishedAt()));
                String rev = b.commit() == null ? "" : " " + (b.branch() == null ? "" : b.branch()) + "@"
                        + b.commit().substring(0, Math.min(8, b.commit().length()));
                main.out().println(String.format(format, "#" + b.number(), b.status(),
                        b.startedAt().toString().substring(0, 19).replace('T', ' '), took, b.pipeline() + rev));
            }
        }
        return ExitCodes.OK;
    }
}

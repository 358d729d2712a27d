package dev.gantry.cli;

import dev.gantry.core.load.PipelineFiles;
import dev.gantry.core.load.PipelineLoader;
import dev.gantry.core.load.StepTypes;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.Problems;
import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.release.ContainerReleases;
import dev.gantry.engine.deploy.DeployException;
import dev.gantry.engine.deploy.Deployments;
import dev.gantry.engine.local.LocalBuild;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Parameters;

/**
 * What {@code gantry releases}, {@code gantry rollback} and {@code gantry deploy status|stop} share: the
 * environment named on the command line and the pipeline beside which {@code gantry run} kept its releases
 * ({@code .gantry/environments} and the embedded store's history).
 */
final class LocalEnvironments {

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment, e.g. staging.")
    String environment;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", defaultValue = ".",
            description = "The pipeline file, or a directory holding gantry.yml (default: the current directory).")
    Path path;

    /** The pipeline's environments, opened; empty when nothing was ever deployed beside it. */
    Opened open(Map<String, String> env) throws IOException {
        Path file = PipelineFiles.resolve(path);
        String shown = dev.gantry.cli.console.ConsoleReporter.display(file);
        Problems problems = new Problems();
        Pipeline p = new PipelineLoader(StepTypes.standard()).parse(shown, PipelineFiles.read(file, shown), problems)
                .orElse(null);
        problems.throwIfAny();
        if (!p.environments().containsKey(environment) && !Files.isDirectory(
                file.toAbsolutePath().getParent().resolve(LocalBuild.STATE_DIR).resolve("db"))) {
            throw unknown(p, shown);
        }
        Path db = file.toAbsolutePath().getParent().resolve(LocalBuild.STATE_DIR).resolve("db");
        if (!Files.isDirectory(db)) {
            return null;
        }
        Store store = Store.embedded(db);
        if (!p.environments().containsKey(environment)
                && store.releases().list(p.name(), environment).isEmpty()) {
            store.close();
            throw unknown(p, shown);
        }
        ContainerReleases containers = ExecutorOptions.releases(
                java.util.List.of(DockerHostSpec.local(Map.of(), env)), env);
        return new Opened(p.name(), store, new Deployments(LocalBuild.environmentsDirectory(file), store.releases(),
                Clock.systemUTC(), env, containers), containers);
    }

    /** An environment neither declared by the pipeline nor ever deployed beside it: most likely a typo. */
    private DeployException unknown(Pipeline p, String file) {
        return new DeployException("unknown environment '" + environment + "': " + file + " declares "
                + (p.environments().isEmpty() ? "no environments" : String.join(", ", p.environments().keySet()))
                + ", and none of that name was ever deployed beside it");
    }

    /** The pipeline's name, its store (closed with this) and its environments. */
    record Opened(String pipeline, Store store, Deployments deployments, ContainerReleases containers)
            implements AutoCloseable {

        @Override
        public void close() {
            containers.close();
            store.close();
        }
    }
}

package dev.gantry.engine.deploy;

import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.core.pipeline.SecretRef;
import java.io.IOException;
import java.util.function.Function;

/** Releases as containers on a Docker host (implemented in gantry-docker). */
public interface ReleaseContainers extends ReleaseRunner {

    /**
     * Where a new release of an environment runs and from exactly which image: the host named {@code host} (null:
     * the first host Gantry was given), with the image made present there by its pull policy and pinned to its id.
     *
     * @throws IOException when the host is unknown or unreachable, or the image cannot be had there
     */
    LaunchRecord.Container place(String host, ImageRef image, Function<SecretRef, String> secrets)
            throws IOException;
}

package dev.gantry.core.load;

import dev.gantry.core.pipeline.Location;
import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.pipeline.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the pipeline file a user means: a file, or a directory holding {@code gantry.yml}. */
public final class PipelineFiles {

    public static final String DEFAULT_NAME = "gantry.yml";

    private PipelineFiles() {
    }

    public static Path resolve(Path given) {
        Path p = given.toAbsolutePath().normalize();
        if (Files.isDirectory(p)) {
            Path file = p.resolve(DEFAULT_NAME);
            if (!Files.isRegularFile(file)) {
                Path alt = p.resolve("gantry.yaml");
                if (Files.isRegularFile(alt)) {
                    return alt;
                }
                throw new PipelineException(new Problem(Location.unknown(given.toString()), "",
                        "no " + DEFAULT_NAME + " in this directory: pass the pipeline file or its directory"));
            }
            return file;
        }
        if (!Files.isRegularFile(p)) {
            throw new PipelineException(new Problem(Location.unknown(given.toString()), "",
                    "no such file or directory"));
        }
        return p;
    }

    /**
     * The bytes of a pipeline file; one over {@link PipelineLoader#MAX_BYTES} is refused before it is read, so a huge
     * file costs neither the time nor the memory to hold it.
     *
     * @param shown the file's name as errors should show it
     */
    public static byte[] read(Path file, String shown) throws IOException {
        long size = Files.size(file);
        if (size > PipelineLoader.MAX_BYTES) {
            throw new PipelineException(new Problem(Location.unknown(shown), "", PipelineText.tooLarge(size)));
        }
        return Files.readAllBytes(file);
    }
}

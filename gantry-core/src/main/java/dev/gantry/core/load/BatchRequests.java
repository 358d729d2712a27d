package dev.gantry.core.load;

import dev.gantry.core.batch.RequestTemplate;
import dev.gantry.core.pipeline.Location;
import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.pipeline.Problem;
import dev.gantry.core.pipeline.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The request file of {@code gantry batch --request FILE}: the mapping a pipeline's batch step has under
 * {@code request:} ({@code method}, {@code path}, {@code headers}, {@code body}), in YAML or JSON (which is YAML),
 * read by the same code with the same rules, its problems reported as {@code file:line:column: key: message}.
 */
public final class BatchRequests {

    static final YamlText.Kind REQUEST_FILE = new YamlText.Kind("a request file", "a request template",
            "the file is empty: a request file holds a mapping such as {method: POST, path: /tts, body: {text: "
                    + "\"{{ .text }}\"}}");

    private BatchRequests() {
    }

    /**
     * The template in {@code content}, or a {@link PipelineException} listing every problem found.
     *
     * @param file the file's name as errors should show it
     */
    public static RequestTemplate parse(String file, byte[] content) {
        Problems problems = new Problems();
        Optional<RequestTemplate> template = YamlText.root(file, content, problems, REQUEST_FILE)
                .flatMap(RequestTemplateParser::parse);
        problems.throwIfAny();
        return template.orElseThrow();
    }

    /**
     * Reads and parses the file; one over {@link PipelineLoader#MAX_BYTES} is refused before it is read.
     *
     * @param shown the file's name as errors should show it
     * @throws PipelineException when the file is missing, too large or wrong
     * @throws IOException       when it cannot be read
     */
    public static RequestTemplate read(Path file, String shown) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new PipelineException(new Problem(Location.unknown(shown), "", "no such file"));
        }
        long size = Files.size(file);
        if (size > PipelineLoader.MAX_BYTES) {
            throw new PipelineException(new Problem(Location.unknown(shown), "",
                    PipelineText.tooLarge(size, REQUEST_FILE.file())));
        }
        return parse(shown, Files.readAllBytes(file));
    }
}

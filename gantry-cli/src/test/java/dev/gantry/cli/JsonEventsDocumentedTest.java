package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.event.BuildEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps the list of {@code --json} events in docs/pipeline.md the same as the events a build reports. */
class JsonEventsDocumentedTest {

    @Test
    void pipelineDocsListEveryEventJsonPrints() throws IOException {
        String docs = Files.readString(Path.of("../docs/pipeline.md"));
        Matcher list = Pattern.compile("`--json` prints one JSON object per\\s+event instead \\(([^)]*)\\)")
                .matcher(docs);
        assertThat(list.find()).as("docs/pipeline.md lists the --json events").isTrue();
        List<String> documented = Pattern.compile("`(\\w+)`").matcher(list.group(1)).results()
                .map(r -> r.group(1)).toList();
        List<String> reported = Arrays.stream(BuildEvent.class.getPermittedSubclasses()).map(Class::getSimpleName)
                .toList();

        assertThat(documented).containsExactlyInAnyOrderElementsOf(reported);
    }
}

package dev.gantry.core.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.Problem;
import dev.gantry.core.pipeline.Problems;
import dev.gantry.core.validate.PipelineValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture under {@code pipelines/invalid} states the problems it must produce in {@code # expect:} comments
 * ({@code LINE:COL PATH: MESSAGE-START}); the loader and validator together must report exactly those, each at its
 * place. {@code # offered:} sets the pools the executor offers.
 */
class InvalidPipelinesTest {

    private static final Path DIR = Path.of("src/test/resources/pipelines/invalid");
    private static final Pattern EXPECT = Pattern.compile("# expect: (\\d+):(\\d+) ([^:]*): (.*)");

    static Stream<Path> fixtures() throws IOException {
        return Files.list(DIR).filter(p -> p.toString().endsWith(".yml")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void reportsEveryProblemAtItsPlace(Path fixture) throws IOException {
        String text = Files.readString(fixture);
        List<Problem> actual = problems(fixture.getFileName().toString(), text, offered(text));
        List<String> actualLines = actual.stream().map(Problem::format).toList();

        List<Matcher> expected = text.lines().map(EXPECT::matcher).filter(Matcher::matches).toList();
        assertThat(expected).as("fixture states its expectations").isNotEmpty();
        assertThat(actual).as("problems reported: %s", actualLines).hasSameSizeAs(expected);
        for (Matcher e : expected) {
            assertThat(actual).as("expected %s among %s", e.group(0), actualLines).anySatisfy(p -> {
                assertThat(p.location().file()).isEqualTo(fixture.getFileName().toString());
                assertThat(p.location().line()).isEqualTo(Integer.parseInt(e.group(1)));
                assertThat(p.location().column()).isEqualTo(Integer.parseInt(e.group(2)));
                assertThat(p.path()).isEqualTo(e.group(3));
                assertThat(p.message()).startsWith(e.group(4));
            });
        }
    }

    static List<Problem> problems(String file, String text, Map<String, Integer> offered) {
        Problems problems = new Problems();
        Optional<Pipeline> p = new PipelineLoader(StepTypes.standard()).parse(file, text.getBytes(), problems);
        p.ifPresent(pipeline -> new PipelineValidator(offered).validate(pipeline, problems));
        return new ArrayList<>(problems.sorted());
    }

    private static Map<String, Integer> offered(String text) {
        Map<String, Integer> pools = new LinkedHashMap<>();
        pools.put("gpu", 0);
        text.lines().filter(l -> l.startsWith("# offered: ")).findFirst().ifPresent(l -> {
            for (String pair : l.substring("# offered: ".length()).split(",\\s*")) {
                String[] kv = pair.split("=");
                pools.put(kv[0], Integer.parseInt(kv[1]));
            }
        });
        return pools;
    }
}

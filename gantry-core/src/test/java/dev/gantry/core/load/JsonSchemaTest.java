package dev.gantry.core.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Keeps {@code docs/gantry.schema.json}, which editors use for completion, in step with what the loader accepts. */
class JsonSchemaTest {

    private static final Path SCHEMA = Path.of("../docs/gantry.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode schema() throws IOException {
        return JSON.readTree(SCHEMA.toFile());
    }

    private static List<String> properties(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.get("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void listsExactlyTheKeysTheLoaderAccepts() throws IOException {
        JsonNode s = schema();
        JsonNode defs = s.get("definitions");
        assertThat(properties(s)).containsExactlyElementsOf(Keys.PIPELINE);
        assertThat(properties(defs.get("defaults"))).containsExactlyElementsOf(Keys.DEFAULTS);
        assertThat(properties(defs.get("job"))).containsExactlyElementsOf(Keys.JOB);
        assertThat(properties(defs.get("retry").get("oneOf").get(1))).containsExactlyElementsOf(Keys.RETRY);
        assertThat(properties(defs.get("when"))).containsExactlyElementsOf(Keys.WHEN);
        assertThat(properties(defs.get("matrix"))).containsExactly(Keys.MATRIX_EXCLUDE);
        assertThat(properties(defs.get("run").get("oneOf").get(1))).containsExactlyElementsOf(Keys.RUN);
        assertThat(properties(defs.get("step"))).containsExactlyInAnyOrderElementsOf(StepTypes.standard().names());
        assertThat(properties(defs.get("service").get("oneOf").get(1))).containsExactlyElementsOf(Keys.SERVICE);
        assertThat(properties(defs.get("service").get("oneOf").get(1).get("properties").get("stop")))
                .containsExactlyElementsOf(Keys.STOP);
        assertThat(properties(defs.get("probe"))).containsExactlyElementsOf(Keys.PROBE);
        assertThat(properties(defs.get("httpProbe"))).containsExactlyElementsOf(Keys.HTTP_PROBE);
        assertThat(properties(defs.get("audioCheck"))).containsExactlyElementsOf(Keys.AUDIO_CHECK);
        assertThat(properties(defs.get("artifacts").get("oneOf").get(1))).containsExactlyElementsOf(Keys.ARTIFACTS);
        assertThat(properties(defs.get("testResults").get("oneOf").get(1))).containsExactlyElementsOf(Keys.TEST_RESULTS);
        assertThat(properties(defs.get("saveCache"))).containsExactlyElementsOf(Keys.SAVE_CACHE);
        assertThat(properties(defs.get("persist").get("oneOf").get(1))).containsExactlyElementsOf(Keys.PERSIST);
        assertThat(properties(defs.get("attach").get("oneOf").get(2))).containsExactlyElementsOf(Keys.ATTACH);
        assertThat(properties(defs.get("restoreCache"))).containsExactlyElementsOf(Keys.RESTORE_CACHE);
        assertThat(properties(defs.get("job").get("properties").get("limits"))).containsExactlyElementsOf(Keys.LIMITS);
        assertThat(properties(defs.get("job").get("properties").get("volumes").get("additionalProperties").get("oneOf")
                .get(1))).containsExactlyElementsOf(Keys.VOLUME);
        assertThat(properties(defs.get("audioCheck").get("properties").get("expect")))
                .containsExactlyElementsOf(dev.gantry.core.audio.Metric.keys());
        assertThat(properties(defs.get("audioCheck").get("properties").get("compare").get("items")))
                .containsExactlyElementsOf(Keys.AUDIO_COMPARE);
    }

    static Stream<Path> validPipelines() throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("../examples"))) {
            s.filter(p -> p.toString().endsWith(".yml")).filter(p -> !p.toString().contains("/.gantry/"))
                    .forEach(all::add);
        }
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/pipelines/valid"))) {
            s.forEach(all::add);
        }
        return all.stream().sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validPipelines")
    void acceptsEveryValidPipeline(Path file) throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema());
        Set<ValidationMessage> errors = schema.validate(YAML.readTree(file.toFile()));
        assertThat(errors).isEmpty();
        new PipelineLoader(StepTypes.standard()).load(file.toString(), Files.readAllBytes(file));
    }

    @Test
    void rejectsUnknownKeysLikeTheLoader() throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema());
        JsonNode bad = YAML.readTree("jobs:\n  build:\n    steps: [{run: {comand: make}}]\n");
        assertThat(schema.validate(bad)).isNotEmpty();
        JsonNode badJob = YAML.readTree("jobs:\n  build:\n    need: [x]\n    steps: [{run: make}]\n");
        assertThat(schema.validate(badJob)).isNotEmpty();
    }
}

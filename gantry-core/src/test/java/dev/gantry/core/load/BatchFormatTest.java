package dev.gantry.core.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.batch.BatchSpec;
import dev.gantry.core.batch.RequestTemplate;
import dev.gantry.core.pipeline.BatchStep;
import dev.gantry.core.pipeline.DeployStep;
import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.validate.Pipelines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch vocabulary, loaded into {@link BatchStep} and {@link BatchSpec}, with every default. */
class BatchFormatTest {

    private static Pipeline load(String yaml) {
        return Pipelines.load("gantry.yml", yaml.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static JobDef example() throws Exception {
        Path file = Path.of("src/test/resources/pipelines/valid/batch.yml");
        return Pipelines.load("batch.yml", Files.readAllBytes(file), Map.of()).jobs().get("chapter-1");
    }

    @Test
    void isAStandardStepType() {
        assertThat(StepTypes.standard().names()).contains("batch");
    }

    @Test
    void loadsEveryKeyOfABatch() throws Exception {
        BatchStep step = (BatchStep) example().steps().get(0);
        assertThat(step.type()).isEqualTo("batch");
        assertThat(step.name()).isEqualTo("render chapter 1");
        assertThat(step.path()).isEqualTo("jobs.chapter-1.steps[0]");
        assertThat(step.location().line()).isEqualTo(15);
        assertThat(step.service()).isEqualTo("tts");
        assertThat(step.serviceLocation().line()).isEqualTo(17);
        assertThat(step.serviceLocation().column()).isEqualTo(20);
        assertThat(step.url()).isNull();

        BatchSpec spec = step.spec();
        assertThat(spec.input()).isEqualTo("books/chapter1.jsonl");
        assertThat(spec.idField()).isEqualTo("output_name");
        assertThat(spec.output()).isEqualTo("renders/chapter1");
        assertThat(spec.concurrency()).isEqualTo(8);
        assertThat(spec.retries()).isEqualTo(4);
        assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(spec.flush()).isEqualTo(new BatchSpec.Flush(50, Duration.ofSeconds(2)));
        assertThat(spec.retryErrors()).isTrue();

        RequestTemplate request = spec.request();
        assertThat(request.method()).as("methods are upper-cased").isEqualTo("PUT");
        assertThat(request.path()).isEqualTo("/tts/{{ .voice }}?format=wav");
        assertThat(request.headers()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "X-Request-Id", "{{ .output_name }}", "Accept", "audio/wav"));
        assertThat(request.fields()).containsExactlyInAnyOrder("voice", "output_name", "input_text", "emotion", "voice",
                "settings", "chapter.number");
    }

    @Test
    void readsTheBodyAsTheJsonTreeItWillBe() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) ((BatchStep) example().steps().get(0)).spec().request().body();
        assertThat(body).containsOnlyKeys("text", "emotion", "speaker", "settings", "speed", "seed", "stream", "style",
                "tags");
        assertThat(body.keySet()).as("in file order").startsWith("text", "emotion", "speaker");
        assertThat(body.get("text")).isEqualTo("{{ .input_text }}");
        assertThat(body.get("speed")).isEqualTo(1.25);
        assertThat(body.get("seed")).isEqualTo(42L);
        assertThat(body.get("stream")).isEqualTo(false);
        assertThat(body).containsEntry("style", null);
        assertThat(body.get("tags")).isEqualTo(List.of("audiobook", "chapter {{ .chapter.number }}"));
    }

    @Test
    void theLoadedTemplateFillsALine() throws Exception {
        RequestTemplate request = ((BatchStep) example().steps().get(0)).spec().request();
        RequestTemplate.Filled filled = request.fill(Map.of("output_name", "c1-007", "input_text", "It was night.",
                "emotion", "sad", "voice", "kevin 16", "settings", Map.of("pitch", 0.9),
                "chapter", Map.of("number", 1)));
        assertThat(filled.method()).isEqualTo("PUT");
        assertThat(filled.path()).isEqualTo("/tts/kevin%2016?format=wav");
        assertThat(filled.headers()).containsEntry("X-Request-Id", "c1-007");
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) filled.body();
        assertThat(body).containsEntry("speaker", "kevin 16").containsEntry("settings", Map.of("pitch", 0.9))
                .containsEntry("tags", List.of("audiobook", "chapter 1"));
    }

    @Test
    void fillsInEveryDefaultAndSendsOpenAiBatchLinesAsTheyAreWithoutRequest() throws Exception {
        BatchStep step = (BatchStep) example().steps().get(1);
        assertThat(step.name()).isEqualTo("batch prompts.jsonl");
        assertThat(step.service()).isNull();
        assertThat(step.serviceLocation()).isNull();
        assertThat(step.url()).as("without its trailing '/': request paths are appended")
                .isEqualTo("http://127.0.0.1:8000/v1");
        BatchSpec spec = step.spec();
        assertThat(spec.request()).as("OpenAI-Batch mode").isNull();
        assertThat(spec.idField()).isEqualTo(BatchSpec.DEFAULT_ID).isEqualTo("custom_id");
        assertThat(spec.concurrency()).isEqualTo(BatchSpec.DEFAULT_CONCURRENCY);
        assertThat(spec.retries()).isEqualTo(BatchSpec.DEFAULT_RETRIES);
        assertThat(spec.timeout()).isEqualTo(BatchSpec.DEFAULT_TIMEOUT);
        assertThat(spec.flush()).isEqualTo(BatchSpec.Flush.STANDARD);
        assertThat(spec.retryErrors()).isFalse();
    }

    @Test
    void aRequestNeedsOnlyAPathAndAFlushOnlyWhatItChanges() throws Exception {
        BatchStep step = (BatchStep) example().steps().get(2);
        assertThat(step.service()).isEqualTo("llm");
        RequestTemplate request = step.spec().request();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/speak");
        assertThat(request.headers()).isEmpty();
        assertThat(request.body()).as("no body").isNull();
        assertThat(step.spec().flush()).isEqualTo(new BatchSpec.Flush(10, BatchSpec.Flush.STANDARD.after()));
    }

    @Test
    void aDeployGateMayRunABatchAgainstAUrl() throws Exception {
        Path file = Path.of("src/test/resources/pipelines/valid/batch.yml");
        JobDef ship = Pipelines.load("batch.yml", Files.readAllBytes(file), Map.of()).jobs().get("ship");
        BatchStep gate = (BatchStep) ((DeployStep) ship.steps().get(0)).deploy().gate().get(0);
        assertThat(gate.url()).isEqualTo("https://tts.example:8443");
        assertThat(gate.path()).isEqualTo("jobs.ship.deploy.gate[0]");
        assertThat(gate.spec().request().body()).isEqualTo(Map.of("text", "{{ .text }}"));
    }

    @Test
    void anOutputOnAReadWriteVolumeIsAllowed() {
        Pipeline p = load("""
                jobs:
                  render:
                    volumes: {renders: {path: data/renders}}
                    steps:
                      - batch: {input: a.jsonl, url: "http://127.0.0.1:9", output: data/renders/chapter1}
                """);
        assertThat(((BatchStep) p.jobs().get("render").steps().get(0)).spec().output())
                .isEqualTo("data/renders/chapter1");
    }

    @Test
    void refusesAServiceTheJobDoesNotHaveNamingTheNearestAndTheJobsServices() {
        assertThatThrownBy(() -> load("""
                jobs:
                  render:
                    services:
                      tts: "serve --port {{ port }}"
                      asr: "asr --port {{ port }}"
                    steps:
                      - batch: {input: a.jsonl, service: ttss, output: out}
                """))
                .isInstanceOf(PipelineException.class)
                .hasMessage("gantry.yml:7:42: jobs.render.steps[0].batch.service: unknown service 'ttss' "
                        + "(did you mean 'tts'?); the job's services: tts, asr");
    }

    @Test
    void reportsEveryProblemOfABatchAtOnce() {
        PipelineException e = org.junit.jupiter.api.Assertions.assertThrows(PipelineException.class, () -> load("""
                jobs:
                  render:
                    steps:
                      - batch:
                          input: a.jsonl
                          url: "http://127.0.0.1:9"
                          output: out
                          concurrency: 2000
                          request: {path: tts, body: {text: "{{ text }}"}}
                """));
        assertThat(e.problems()).extracting(p -> p.path()).containsExactly("jobs.render.steps[0].batch.concurrency",
                "jobs.render.steps[0].batch.request.path", "jobs.render.steps[0].batch.request.body.text");
        assertThat(Arrays.stream(e.getMessage().split("\n")).toList()).allSatisfy(l ->
                assertThat(l).startsWith("gantry.yml:"));
    }
}

package dev.gantry.core.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.batch.RequestTemplate;
import dev.gantry.core.pipeline.BatchStep;
import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.pipeline.Problem;
import dev.gantry.core.validate.Pipelines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry batch --request FILE}: the step's {@code request:} mapping in a file of its own, YAML or JSON. */
class BatchRequestsTest {

    private static RequestTemplate parse(String file, String text) {
        return BatchRequests.parse(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Problem> problems(String file, String text) {
        try {
            parse(file, text);
        } catch (PipelineException e) {
            return e.problems();
        }
        throw new AssertionError("no problem found in " + text);
    }

    @Test
    void readsAYamlRequest() {
        RequestTemplate t = parse("request.yml", """
                path: /tts
                headers: {Accept: audio/wav}
                body:
                  text: "{{ .input_text }}"
                  speed: 1.5
                """);
        assertThat(t.method()).isEqualTo("POST");
        assertThat(t.path()).isEqualTo("/tts");
        assertThat(t.headers()).containsExactly(Map.entry("Accept", "audio/wav"));
        assertThat(t.body()).isEqualTo(Map.of("text", "{{ .input_text }}", "speed", 1.5));
    }

    @Test
    void readsAJsonRequestWithItsTypes() {
        RequestTemplate t = parse("request.json", """
                {
                  "method": "put",
                  "path": "/v1/tts/{{ .voice }}",
                  "body": {"text": "{{ .text }}", "n": 2, "big": 12345678901234567890, "stream": false,
                           "style": null, "voices": ["a", "b"]}
                }
                """);
        assertThat(t.method()).isEqualTo("PUT");
        assertThat(t.path()).isEqualTo("/v1/tts/{{ .voice }}");
        assertThat(t.headers()).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) t.body();
        assertThat(body.get("n")).isEqualTo(2L);
        assertThat(body.get("big")).isEqualTo(new java.math.BigInteger("12345678901234567890"));
        assertThat(body.get("stream")).isEqualTo(false);
        assertThat(body).containsEntry("style", null);
        assertThat(body.get("voices")).isEqualTo(List.of("a", "b"));
    }

    @Test
    void isReadExactlyAsTheStepsRequest() {
        String request = "{method: PATCH, path: /tts, headers: {X-Id: \"{{ .id }}\"}, body: {t: \"{{ .t }}\", n: [1]}}";
        String yaml = "jobs:\n  r:\n    steps:\n      - batch: {input: a.jsonl, url: \"http://127.0.0.1:9\", "
                + "output: out, request: " + request + "}\n";
        BatchStep step = (BatchStep) Pipelines.load("gantry.yml", yaml.getBytes(StandardCharsets.UTF_8), Map.of())
                .jobs().get("r").steps().get(0);
        assertThat(parse("request.yml", request)).isEqualTo(step.spec().request());
    }

    @Test
    void locatesAMistypedPlaceholderInAJsonFile() {
        List<Problem> p = problems("req.json", """
                {
                  "path": "/tts",
                  "body": {"text": "{{ input_text }}"}
                }
                """);
        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.format()).isEqualTo("req.json:3:20: body.text: '{{ input_text }}' is not a placeholder:"
                    + " write '{{ .input_text }}' (a dot, then the line's field)");
        });
    }

    @Test
    void reportsEveryProblemWithItsPlace() {
        List<Problem> p = problems("request.yml", """
                method: POTS
                pth: /tts
                headers: {Host: example}
                body: {speed: .nan}
                """);
        assertThat(p).extracting(Problem::format).containsExactly(
                "request.yml:1:9: method: unknown method 'POTS' (did you mean 'POST'?); use one of POST, PUT, PATCH, "
                        + "GET, DELETE (default POST)",
                "request.yml:2:1: pth: unknown key 'pth' (did you mean 'path'?); valid keys: method, path, headers, "
                        + "body",
                "request.yml:3:17: headers.Host: header 'Host' is written by Gantry from the request itself: remove it",
                "request.yml:4:15: body.speed: '.nan' is not a number JSON can write: quote it to send it as text");
    }

    @Test
    void aRequestNeedsAPathStartingWithASlash() {
        assertThat(problems("r.yml", "method: POST\n")).extracting(Problem::format).containsExactly(
                "r.yml:1:1: a request needs 'path': where on the service each request goes, e.g. path: /tts");
        assertThat(problems("r.yml", "path: tts\n")).extracting(Problem::format).containsExactly(
                "r.yml:1:7: path: path must start with '/', e.g. /tts: it is appended to the service's address");
    }

    @Test
    void refusesAFileThatIsNotARequest() {
        assertThat(problems("r.yml", "")).extracting(Problem::message).singleElement().asString()
                .startsWith("the file is empty: a request file holds a mapping");
        assertThat(problems("r.yml", "- path: /tts\n")).extracting(Problem::format)
                .containsExactly("r.yml:1:1: expected a mapping, found a list");
        assertThat(problems("r.json", "{\"path\": \"/tts\",\n \"body\": {\"a\": 1}\n")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.location().line()).isEqualTo(3);
                    assertThat(problem.message()).startsWith("invalid YAML:");
                });
        assertThat(problems("r.yml", "path: /tts\npath: /stt\n")).extracting(Problem::format)
                .containsExactly("r.yml:2:1: path: duplicate key 'path' (first defined at line 1)");
    }

    @Test
    void refusesABodyThatAliasesWouldBlowUp() {
        StringBuilder yaml = new StringBuilder("path: /x\nbody:\n  l0: &l0 [a, a]\n");
        for (int i = 1; i < 20; i++) {
            yaml.append("  l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l")
                    .append(i - 1).append("]\n");
        }
        assertThat(problems("r.yml", yaml.toString())).extracting(Problem::message).singleElement().asString()
                .startsWith("the body has more than " + RequestTemplateParser.MAX_BODY_VALUES + " values");
    }

    @Test
    void refusesABodyThatContainsItself() {
        assertThat(problems("r.yml", "path: /x\nbody: &a {k: [*a, *a]}\n")).extracting(Problem::format)
                .containsExactly("r.yml:2:7: body: the body has more than " + PipelineLoader.MAX_DEPTH
                        + " levels (aliases included): a request template needs far fewer");
    }

    @Test
    void readsTheFileAndRefusesAMissingOrHugeOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("request.yml");
        Files.writeString(file, "path: /tts\nbody: {text: \"{{ .text }}\"}\n");
        assertThat(BatchRequests.read(file, "request.yml").body()).isEqualTo(Map.of("text", "{{ .text }}"));

        assertThatThrownBy(() -> BatchRequests.read(dir.resolve("nope.yml"), "nope.yml"))
                .isInstanceOf(PipelineException.class).hasMessage("nope.yml: no such file");

        Path huge = dir.resolve("huge.yml");
        Files.write(huge, new byte[PipelineLoader.MAX_BYTES + 1]);
        assertThatThrownBy(() -> BatchRequests.read(huge, "huge.yml")).isInstanceOf(PipelineException.class)
                .hasMessageContaining("a request file may be at most 1 MiB");
    }
}

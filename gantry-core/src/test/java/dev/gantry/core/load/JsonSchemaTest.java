package dev.gantry.core.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.gantry.core.pipeline.Problem;
import dev.gantry.core.pipeline.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
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
        assertThat(properties(s.get("properties").get("retention"))).containsExactlyElementsOf(Keys.RETENTION);
        assertThat(properties(defs.get("job"))).containsExactlyElementsOf(Keys.JOB);
        assertThat(properties(defs.get("retry").get("oneOf").get(1))).containsExactlyElementsOf(Keys.RETRY);
        assertThat(properties(defs.get("when"))).containsExactlyElementsOf(Keys.WHEN);
        assertThat(properties(defs.get("matrix"))).containsExactly(Keys.MATRIX_EXCLUDE);
        assertThat(properties(defs.get("run").get("oneOf").get(1))).containsExactlyElementsOf(Keys.RUN);
        assertThat(properties(defs.get("step"))).containsExactlyInAnyOrderElementsOf(StepTypes.standard().names());
        assertThat(properties(defs.get("service").get("oneOf").get(1))).containsExactlyElementsOf(Keys.SERVICE);
        assertThat(properties(defs.get("service").get("oneOf").get(1).get("properties").get("stop")))
                .containsExactlyElementsOf(Keys.STOP);
        assertThat(properties(defs.get("service").get("oneOf").get(1).get("properties").get("restart")))
                .containsExactlyElementsOf(Keys.RESTART);
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
        assertThat(properties(defs.get("batch"))).containsExactlyElementsOf(Keys.BATCH);
        assertThat(properties(defs.get("batchRequest"))).containsExactlyElementsOf(Keys.BATCH_REQUEST);
        assertThat(properties(defs.get("batch").get("properties").get("flush")))
                .containsExactlyElementsOf(Keys.BATCH_FLUSH);
        assertThat(properties(defs.get("environment"))).containsExactlyElementsOf(Keys.ENVIRONMENT);
        assertThat(properties(defs.get("deploy"))).containsExactlyElementsOf(Keys.DEPLOY);
        assertThat(properties(defs.get("deploy").get("properties").get("release")))
                .containsExactlyElementsOf(Keys.RELEASE);
        assertThat(properties(defs.get("deployService"))).containsExactlyElementsOf(Keys.DEPLOY_SERVICE);
        assertThat(properties(defs.get("deployService").get("properties").get("restart")))
                .containsExactlyElementsOf(Keys.RESTART);
        assertThat(properties(defs.get("monitor"))).containsExactlyElementsOf(Keys.MONITOR);
        assertThat(properties(defs.get("image").get("oneOf").get(1))).containsExactlyElementsOf(Keys.IMAGE);
        assertThat(properties(defs.get("image").get("oneOf").get(1).get("properties").get("auth")))
                .containsExactlyElementsOf(Keys.IMAGE_AUTH);
        assertThat(properties(defs.get("notification"))).containsExactlyElementsOf(Keys.NOTIFY);
        assertThat(properties(defs.get("slack"))).containsExactlyElementsOf(Keys.SLACK);
        assertThat(properties(defs.get("webhook"))).containsExactlyElementsOf(Keys.WEBHOOK);
        assertThat(properties(defs.get("email"))).containsExactlyElementsOf(Keys.EMAIL);
        assertThat(properties(defs.get("smtp"))).containsExactlyElementsOf(Keys.SMTP);
        List<String> events = new ArrayList<>(dev.gantry.core.pipeline.NotifyEvent.yamlNames());
        events.add(dev.gantry.core.pipeline.NotifyEvent.ALL);
        List<String> schemaEvents = new ArrayList<>();
        defs.get("event").get("enum").forEach(e -> schemaEvents.add(e.asText()));
        assertThat(schemaEvents).containsExactlyElementsOf(events);
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
        Set<ValidationMessage> errors = schema.validate(withAliasesResolved(Files.readString(file)));
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

    private static String job(String keys) {
        return "jobs:\n  build:\n    " + keys + "\n    steps: [{run: make}]\n";
    }

    private static String step(String step) {
        return "jobs:\n  build:\n    steps:\n      - " + step + "\n";
    }

    private static String batch(String keys) {
        return step("batch: {input: a.jsonl, output: out, " + keys + "}");
    }

    private static String deploy(String deploy) {
        return "jobs:\n  ship:\n    deploy: " + deploy + "\n";
    }

    private static String notify(String entry) {
        return job("") + "notify:\n  - " + entry + "\n";
    }

    private static String service(String keys) {
        return job("services: {db: {command: 'db --port {{ port }}', " + keys + "}}");
    }

    /**
     * The file as JSON with its YAML anchors and aliases resolved, as the loader (SnakeYAML) sees them: Jackson's
     * YAML reader would turn {@code gate: *gate} into the alias's name.
     */
    private static JsonNode withAliasesResolved(String yaml) {
        org.snakeyaml.engine.v2.api.Load load = new org.snakeyaml.engine.v2.api.Load(
                org.snakeyaml.engine.v2.api.LoadSettings.builder().build());
        return new ObjectMapper().valueToTree(load.loadFromString(yaml));
    }

    /** Small pipelines on the edges of the format, each with whether it is valid. */
    static Stream<Arguments> snippets() {
        return Stream.of(
                arguments("serial_groups as a string", job("serial_groups: db"), true),
                arguments("serial_groups as a list", job("serial_groups: [db, cache]"), true),
                arguments("a blank serial group", job("serial_groups: ['']"), false),
                arguments("uses at its maximum", job("uses: {gpu: 1024}"), true),
                arguments("uses over its maximum", job("uses: {gpu: 1025}"), false),
                arguments("uses of zero", job("uses: {gpu: 0}"), false),
                arguments("when without branches or tags", job("when: {}"), false),
                arguments("stop.signal in lower case with sig", service("stop: {signal: sigterm}"), true),
                arguments("stop.signal in mixed case", service("stop: {signal: Int}"), true),
                arguments("an unknown stop.signal", service("stop: {signal: USR1}"), false),
                arguments("a probe of one kind", service("ready: {tcp: true}"), true),
                arguments("a probe of two kinds", service("ready: {tcp: true, exec: 'true'}"), false),
                arguments("a probe of no kind", service("ready: {period: 1s}"), false),
                arguments("an http probe with path and url", service("ready: {http: {path: /, url: 'http://x/'}}"),
                        false),
                arguments("an http probe with neither path nor url", service("ready: {http: {method: GET}}"), false),
                arguments("a service with restart", service("restart: {max: 3}"), true),
                arguments("a service with restart within a window", service("restart: {max: 0, within: 10m}"), true),
                arguments("a service restart over its maximum", service("restart: {max: 101}"), false),
                arguments("a service restart with an unknown key", service("restart: {times: 3}"), false),
                arguments("a batch against a url", batch("url: 'http://10.0.0.5:8000'"), true),
                arguments("a batch against a service", batch("service: tts"), true),
                arguments("a batch with service and url", batch("service: tts, url: 'http://h:1'"), false),
                arguments("a batch with neither service nor url", batch("concurrency: 2"), false),
                arguments("a batch without output", step("batch: {input: a.jsonl, url: 'http://h:1'}"), false),
                arguments("a batch url that is not http", batch("url: 'ftp://h/'"), false),
                arguments("a batch with concurrency 0", batch("service: tts, concurrency: 0"), false),
                arguments("a batch with concurrency at its maximum", batch("service: tts, concurrency: 1024"), true),
                arguments("a batch with no retries", batch("service: tts, retries: 0"), true),
                arguments("a batch with an unknown key", batch("service: tts, retry: 2"), false),
                arguments("a batch request with only a path", batch("service: tts, request: {path: /tts}"), true),
                arguments("a batch request in lower case", batch("service: tts, request: {method: put, path: /a}"),
                        true),
                arguments("a batch request without a path", batch("service: tts, request: {method: POST}"), false),
                arguments("a batch request path without '/'", batch("service: tts, request: {path: tts}"), false),
                arguments("a batch request path with '//'", batch("service: tts, request: {path: //h/tts}"), false),
                arguments("a batch request with an unknown key", batch("service: tts, request: {path: /a, bdy: 1}"),
                        false),
                arguments("a batch flush with every", batch("service: tts, flush: {every: 100000}"), true),
                arguments("a batch flush of 0", batch("service: tts, flush: {every: 0}"), false),
                arguments("a batch flush with an unknown key", batch("service: tts, flush: {each: 5}"), false),
                arguments("restore_cache.keys as a string", step("restore_cache: {keys: deps-}"), true),
                arguments("restore_cache.keys as a list", step("restore_cache: {keys: [deps-a, deps-]}"), true),
                arguments("restore_cache.key with a name", step("restore_cache: {key: deps-, name: deps}"), true),
                arguments("restore_cache with key and keys", step("restore_cache: {key: a, keys: [b]}"), false),
                arguments("restore_cache with neither key nor keys", step("restore_cache: {name: deps}"), false),
                arguments("save_cache with a name", step("save_cache: {key: k, paths: [venv], name: deps}"), true),
                arguments("save_cache without paths", step("save_cache: {key: k}"), false),
                arguments("a job with an empty steps list", "jobs:\n  build:\n    steps: []\n", false),
                arguments("two types in one step", step("{run: make, persist: out}"), false),
                arguments("a job with only a deploy", deploy("{service: {command: serve, port: 80}}"), true),
                arguments("a deploy with an unknown strategy",
                        deploy("{strategy: bluegreen, service: {command: serve, port: 80}}"), false),
                arguments("a deploy with an empty gate", deploy("{gate: [], service: {command: serve, port: 80}}"),
                        false),
                arguments("a deploy port out of range", deploy("{service: {command: serve, port: 70000}}"), false),
                arguments("a monitor of one kind", deploy("{service: {command: serve, port: 80}, "
                        + "monitor: {tcp: true, on_failure: rollback}}"), true),
                arguments("a monitor on a log line", deploy("{service: {command: serve, port: 80}, "
                        + "monitor: {log: ready}}"), false),
                arguments("an environment named auto", "environments: {auto: {}}\n" + job(""), false),
                arguments("keep_releases over its maximum",
                        "environments: {prod: {keep_releases: 101}}\n" + job(""), false),
                arguments("on as one event", notify("{slack: {url: 'https://x/', on: deploy_failed}}"), true),
                arguments("on with all", notify("{webhook: {url: {secret: hook-url}, on: [all]}}"), true),
                arguments("an unknown event", notify("{slack: {url: 'https://x/', on: [deploy_fail]}}"), false),
                arguments("an empty on", notify("{slack: {url: 'https://x/', on: []}}"), false),
                arguments("slack without a url", notify("{slack: {on: [all]}}"), false),
                arguments("a url that is not http", notify("{slack: {url: 'ftp://x/'}}"), false),
                arguments("two channels in one entry", notify("{slack: {url: 'https://x/'}, "
                        + "webhook: {url: 'https://y/'}}"), false),
                arguments("email to one address", notify("{email: {smtp: {host: mail}, to: a@b}}"), true),
                arguments("email without to", notify("{email: {smtp: {host: mail}}}"), false),
                arguments("smtp with a user and no password",
                        notify("{email: {smtp: {host: mail, user: ci}, to: [a@b]}}"), false),
                arguments("a job image by name", job("image: python:3.11-slim"), true),
                arguments("a job image with registry, port and digest", job("image: 'registry.example:5000/team/tts:"
                        + "v1@sha256:" + "0123456789abcdef".repeat(4) + "'"), true),
                arguments("a job image none", job("image: none"), true),
                arguments("an image in upper case", job("image: Python:3.11"), false),
                arguments("an image tag starting with '-'", job("image: 'python:-rc1'"), false),
                arguments("an image with a short digest", job("image: python@sha256:abc"), false),
                arguments("an image in full", job("image: {name: tts, pull: never, user: '1000:1000', "
                        + "auth: {username: ci, password: {secret: registry-token}}}"), true),
                arguments("an image with a numeric user", job("image: {name: tts, user: 1000}"), true),
                arguments("an image with a bad user", job("image: {name: tts, user: 'a b'}"), false),
                arguments("an image without a name", job("image: {pull: never}"), false),
                arguments("an image named none", job("image: {name: none}"), false),
                arguments("an image with an unknown pull", job("image: {name: tts, pull: sometimes}"), false),
                arguments("an image with an unknown key", job("image: {name: tts, tag: v1}"), false),
                arguments("image auth without a password", job("image: {name: tts, auth: {username: ci}}"), false),
                arguments("defaults.image", "defaults: {image: python}\n" + job(""), true),
                arguments("defaults.image none", "defaults: {image: none}\n" + job(""), false),
                arguments("a service image", service("image: {name: tts, pull: never}"), true),
                arguments("a service image none", service("image: none"), false),
                arguments("a deploy service image",
                        deploy("{service: {command: serve, port: 80, image: 'localhost:5000/tts'}}"), true),
                arguments("a deploy service image none",
                        deploy("{service: {command: serve, port: 80, image: none}}"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void schemaAndLoaderAgreeOnTheEdgesOfTheFormat(String what, String yaml, boolean valid) throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema());
        Set<ValidationMessage> schemaErrors = schema.validate(YAML.readTree(yaml));
        Problems problems = new Problems();
        new PipelineLoader(StepTypes.standard()).parse("gantry.yml", yaml.getBytes(StandardCharsets.UTF_8), problems);
        List<String> loaderErrors = problems.sorted().stream().map(Problem::format).toList();

        assertThat(schemaErrors.isEmpty()).as("schema on %s: %s", what, schemaErrors).isEqualTo(valid);
        assertThat(loaderErrors.isEmpty()).as("loader on %s: %s", what, loaderErrors).isEqualTo(valid);
    }
}

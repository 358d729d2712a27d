package dev.gantry.engine.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets referenced by job, step and service env reach the processes and are masked in every event. */
class SecretsInBuildTest {

    private static final String TOKEN = "hf_live_7Qm2xY9pL4";

    @TempDir
    Path dir;

    private BuildFixture fixture() {
        EngineSettings settings = new EngineSettings(2, false, System.getenv(), Clock.systemUTC())
                .withSecrets(Secrets.of(Map.of("hf-token", TOKEN, "svc-key", "service-key-99")));
        return new BuildFixture(dir).settings(settings);
    }

    @Test
    void stepsAndServicesGetTheValueAndEveryEventShowsItMasked() throws Exception {
        var r = fixture().run("""
                jobs:
                  use:
                    env:
                      HF_TOKEN: {secret: hf-token}
                    services:
                      svc:
                        command: echo "service sees $KEY"; sleep 30
                        env: {KEY: {secret: svc-key}}
                        ready: {log: "service sees"}
                    steps:
                      - run:
                          command: |
                            echo "plain $HF_TOKEN"
                            printf 'x%s' "$HF_TOKEN" | base64 -w0; echo
                            printf '%s' "${HF_TOKEN:0:7}"; sleep 0.2; printf '%s\\n' "${HF_TOKEN:7}"
                            echo "step $STEP_TOKEN"
                            test "$HF_TOKEN" = hf_live_7Qm2xY9pL4
                            mkdir -p reports
                            printf '<testsuite><testcase name="t"><failure message="bad %s"/></testcase></testsuite>' "$HF_TOKEN" > reports/r.xml
                          env: {STEP_TOKEN: {secret: hf-token}}
                      - test_results: reports/*.xml
                """);
        assertThat(r.output("use")).contains("plain ***", "step ***", "***");
        assertThat(r.output("use")).noneMatch(l -> l.contains(TOKEN) || l.contains("7Qm2xY9pL4"));
        String base64 = java.util.Base64.getEncoder().encodeToString(("x" + TOKEN).getBytes());
        assertThat(r.output("use")).noneMatch(l -> l.contains(base64.substring(4, base64.length() - 4)));
        assertThat(r.events()).filteredOn(e -> e instanceof BuildEvent.ServiceLog)
                .extracting(e -> ((BuildEvent.ServiceLog) e).line()).contains("service sees ***");
        assertThat(r.events()).filteredOn(e -> e instanceof BuildEvent.TestResultsRecorded)
                .flatExtracting(e -> ((BuildEvent.TestResultsRecorded) e).tests())
                .extracting(dev.gantry.core.junit.TestCase::message).containsExactly("bad ***");
        assertThat(r.events()).extracting(Object::toString).noneMatch(s -> s.contains(TOKEN)
                || s.contains("service-key-99"));
        assertThat(Files.readString(r.build().logFile("use"))).contains("plain ***").doesNotContain(TOKEN);
        assertThat(r.task("use").state()).as(r.task("use").reason()).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void aFailureReasonQuotingTheSecretIsMasked() {
        var r = fixture().run("""
                jobs:
                  svc:
                    services:
                      s:
                        command: echo "key is $KEY"; exit 3
                        env: {KEY: {secret: svc-key}}
                        ready: {tcp: true}
                    steps: [{run: "true"}]
                """);
        assertThat(r.task("svc").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("svc").reason()).contains("key is ***").doesNotContain("service-key-99");
        assertThat(r.events()).filteredOn(e -> e instanceof BuildEvent.TaskFinished)
                .extracting(e -> ((BuildEvent.TaskFinished) e).reason()).allMatch(s -> !s.contains("service-key-99"));
    }

    @Test
    void aCacheKeyThatWouldHoldASecretIsRefusedAndNothingIsSaved() throws Exception {
        Path caches = dir.resolve("caches");
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("GANTRY_CACHE_DIR", caches.toString());
        var r = new BuildFixture(dir).settings(new EngineSettings(2, false, env, Clock.systemUTC())
                .withSecrets(Secrets.of(Map.of("hf-token", TOKEN)))).run("""
                jobs:
                  save:
                    env: {HF_TOKEN: {secret: hf-token}}
                    steps:
                      - run: mkdir -p deps && echo x > deps/a
                      - save_cache: {key: 'deps-{{ .Environment.HF_TOKEN }}', paths: [deps]}
                """);
        assertThat(r.task("save").state()).isEqualTo(TaskState.ERRORED);
        assertThat(r.task("save").reason()).contains("holds a secret's value").doesNotContain(TOKEN);
        try (var files = Files.walk(dir)) {
            assertThat(files.map(Path::toString)).noneMatch(f -> f.contains("7Qm2xY9pL4"));
        }
    }
}

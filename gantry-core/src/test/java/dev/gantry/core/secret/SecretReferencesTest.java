package dev.gantry.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.load.PipelineLoader;
import dev.gantry.core.load.StepTypes;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.pipeline.RunStep;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.core.pipeline.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretReferencesTest {

    private static Pipeline load() throws Exception {
        byte[] yaml = Files.readAllBytes(Path.of("src/test/resources/pipelines/valid/secrets.yml"));
        return new PipelineLoader(StepTypes.standard()).load("secrets.yml", yaml);
    }

    @Test
    void findsReferencesInPipelineJobStepAndServiceEnv() throws Exception {
        Pipeline p = load();
        assertThat(SecretReferences.of(p)).extracting(SecretRef::name, SecretRef::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("registry-password", "env.REGISTRY_PASSWORD"),
                org.assertj.core.groups.Tuple.tuple("hf-token", "jobs.e2e.env.HF_TOKEN"),
                org.assertj.core.groups.Tuple.tuple("upload-token", "jobs.e2e.steps[0].run.env.UPLOAD_TOKEN"),
                org.assertj.core.groups.Tuple.tuple("tts.api_key", "jobs.e2e.services.tts.env.API_KEY"));
        assertThat(p.jobs().get("e2e").env().get("PLAIN")).isEqualTo(Value.of("text"));
        RunStep step = (RunStep) p.jobs().get("e2e").steps().get(0);
        assertThat(Value.resolveAll(step.env(), ref -> "value-of-" + ref.name()))
                .containsEntry("UPLOAD_TOKEN", "value-of-upload-token");
    }

    @Test
    void findsReferencesInADeploysServiceAndGateAndInEveryNotificationChannel() throws Exception {
        byte[] yaml = Files.readAllBytes(Path.of("src/test/resources/pipelines/valid/deploy.yml"));
        Pipeline p = new PipelineLoader(StepTypes.standard()).load("deploy.yml", yaml);
        assertThat(SecretReferences.of(p)).extracting(SecretRef::name, SecretRef::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("hf-token", "jobs.deploy.deploy.service.env.HF_TOKEN"),
                org.assertj.core.groups.Tuple.tuple("slack-url", "notify[0].slack.url"),
                org.assertj.core.groups.Tuple.tuple("hook-key", "notify[1].webhook.secret"),
                org.assertj.core.groups.Tuple.tuple("smtp", "notify[2].email.smtp.password"));
        assertThatThrownBy(() -> SecretReferences.requireKnown(p, List.of("hf-token", "slack-url", "hook-key"),
                "set it with gantry secret set"))
                .isInstanceOfSatisfying(PipelineException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(problem -> assertThat(problem.format()).startsWith("deploy.yml:46:82:")
                                .contains("notify[2].email.smtp.password").contains("unknown secret 'smtp'")));
    }

    @Test
    void findsReferencesInGateStepsAndHookSteps() {
        Pipeline p = new PipelineLoader(StepTypes.standard()).load("gantry.yml", """
                environments: {prod: {}}
                jobs:
                  ship:
                    deploy:
                      environment: prod
                      service: {command: serve, port: 80}
                      gate:
                        - run: {command: ./check, env: {GATE_TOKEN: {secret: gate-token}}}
                    on_failure:
                      - run: {command: ./page, env: {PAGER_KEY: {secret: pager-key}}}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(SecretReferences.names(p)).containsExactly("gate-token", "pager-key");
    }

    @Test
    void anUnknownSecretIsAnErrorNamingItAndWhereItIsReferenced() throws Exception {
        Pipeline p = load();
        assertThatThrownBy(() -> SecretReferences.requireKnown(p,
                List.of("registry-password", "upload-token", "tts.api_key"), "set it with gantry secret set"))
                .isInstanceOfSatisfying(PipelineException.class, e -> {
                    assertThat(e.problems()).singleElement().satisfies(problem -> {
                        assertThat(problem.format()).startsWith("secrets.yml:6:").contains("jobs.e2e.env.HF_TOKEN")
                                .contains("unknown secret 'hf-token'");
                    });
                });
        SecretReferences.requireKnown(p, SecretReferences.names(p), "unused");
    }

    @Test
    void aLiteralNeverAsksForASecretAndDescribesItselfWithoutAValue() {
        assertThat(Value.of("plain").resolve(ref -> {
            throw new AssertionError("asked for " + ref);
        })).isEqualTo("plain");
        SecretRef ref = new SecretRef("hf-token", null, "env.X");
        assertThat(ref.describe()).isEqualTo("{secret: hf-token}");
        assertThat(Value.resolveAll(Map.of("X", ref), r -> "s3cr3t-value")).containsEntry("X", "s3cr3t-value");
    }

    @Test
    void refusesValuesTooShortToMaskAndBadNames() {
        assertThat(SecretRules.problem("ok-name", "1234567")).get().asString().contains("shorter than 8 characters");
        assertThat(SecretRules.problem("ok-name", "12345678")).isEmpty();
        assertThat(SecretRules.problem("bad name", "12345678")).get().asString().contains("invalid secret name");
    }
}

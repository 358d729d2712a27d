package dev.gantry.core.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.gantry.core.pipeline.DeployStep;
import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.core.pipeline.Location;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.core.pipeline.ServiceDef;
import dev.gantry.core.pipeline.Value;
import dev.gantry.core.secret.SecretReferences;
import dev.gantry.core.validate.Pipelines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The issue's {@code image:} vocabulary loaded into {@link ImageRef}s: a job's image is resolved (its own, else
 * {@code defaults.image}, null for {@code none}), each written where it is, with its credentials' secrets checked
 * like env's. What is written wrongly is in {@code pipelines/invalid/images.yml}.
 */
class ImageFormatTest {

    private static Pipeline example() throws Exception {
        Path file = Path.of("src/test/resources/pipelines/valid/images.yml");
        return Pipelines.load("images.yml", Files.readAllBytes(file), Map.of());
    }

    private static Pipeline load(String yaml) {
        return Pipelines.load("gantry.yml", yaml.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static Location at(int line, int column) {
        return new Location("images.yml", line, column);
    }

    @Test
    void aJobInheritsDefaultsImageOverridesItOrClearsItWithNone() throws Exception {
        Pipeline p = example();
        ImageRef defaults = p.defaults().image();
        assertThat(defaults).isEqualTo(new ImageRef("python:3.11-slim", ImageRef.Pull.IF_MISSING, null, null,
                at(4, 10)));
        assertThat(p.jobs().get("inherits").image()).isEqualTo(defaults);
        assertThat(p.jobs().get("overrides").image().name()).isEqualTo("registry.example:5000/tts-ci:torch29");
        assertThat(p.jobs().get("lint").image()).isNull();
        assertThat(p.jobs().get("ship").image()).isNull();
    }

    @Test
    void withoutAnyImageEveryJobRunsAsLocalProcesses() {
        Pipeline p = load("""
                jobs:
                  build: {steps: [{run: make}]}
                  lint: {image: none, steps: [{run: make lint}]}
                """);
        assertThat(p.defaults().image()).isNull();
        assertThat(p.jobs().values()).allSatisfy(job -> assertThat(job.image()).isNull());
    }

    @Test
    void theMappingFormCarriesPullUserAndCredentials() throws Exception {
        ImageRef image = example().jobs().get("overrides").image();
        assertThat(image.pull()).isEqualTo(ImageRef.Pull.ALWAYS);
        assertThat(image.user()).isEqualTo("1000:1000");
        assertThat(image.location()).isEqualTo(at(10, 7));
        assertThat(image.auth().username()).isEqualTo(Value.of("ci"));
        assertThat(image.auth().password()).isEqualTo(new SecretRef("registry-token", at(13, 47),
                "jobs.overrides.image.auth.password"));

        ImageRef cuda = example().jobs().get("e2e").image();
        assertThat(cuda).isEqualTo(new ImageRef("nvidia/cuda:12.2.0-base-ubuntu22.04", ImageRef.Pull.NEVER, "root",
                null, at(19, 12)));
    }

    @Test
    void aServiceHasItsOwnImageOrNoneForItsJobs() throws Exception {
        List<ServiceDef> services = example().jobs().get("e2e").services();
        assertThat(services).extracting(ServiceDef::name).containsExactly("tts", "db", "plain");
        assertThat(services.get(0).image()).isEqualTo(new ImageRef("registry.example/tts:latest",
                ImageRef.Pull.IF_MISSING, null, null, at(21, 20)));
        ImageRef db = services.get(1).image();
        assertThat(db.name()).startsWith("postgres@sha256:0123");
        assertThat(db.pull()).isEqualTo(ImageRef.Pull.IF_MISSING);
        assertThat(db.location()).isEqualTo(at(25, 11));
        assertThat(db.auth().username()).isInstanceOf(SecretRef.class);
        assertThat(services.get(2).image()).isNull();
    }

    @Test
    void aDeploysServiceTakesAnImageEvenInALocalJob() throws Exception {
        DeployStep deploy = (DeployStep) example().jobs().get("ship").steps().get(0);
        ImageRef image = deploy.deploy().service().image();
        assertThat(image.name()).isEqualTo("localhost:5000/tts");
        assertThat(image.pull()).isEqualTo(ImageRef.Pull.IF_MISSING);
        assertThat(image.location()).isEqualTo(at(36, 16));
    }

    @Test
    void credentialsSecretsAreReferencesLikeEnvsOncePerPlaceWritten() throws Exception {
        Pipeline p = example();
        assertThat(SecretReferences.of(p)).extracting(SecretRef::name, SecretRef::path).containsExactly(
                tuple("registry-token", "jobs.overrides.image.auth.password"),
                tuple("hub-user", "jobs.e2e.services.db.image.auth.username"),
                tuple("hub-token", "jobs.e2e.services.db.image.auth.password"),
                tuple("deploy-token", "jobs.ship.deploy.service.image.auth.password"));
        assertThatThrownBy(() -> SecretReferences.requireKnown(p, List.of("hub-user", "hub-token", "deploy-token"),
                "set it with gantry secret set"))
                .isInstanceOfSatisfying(PipelineException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(problem -> assertThat(problem.format()).isEqualTo("images.yml:13:47: "
                                + "jobs.overrides.image.auth.password: unknown secret 'registry-token': set it with "
                                + "gantry secret set")));
    }

    @Test
    void defaultsCredentialsAreReferencedOnceThoughEveryJobInheritsThem() {
        Pipeline p = load("""
                defaults:
                  image: {name: tts-ci, auth: {username: ci, password: {secret: registry-token}}}
                jobs:
                  a: {steps: [{run: make}]}
                  b: {steps: [{run: make}]}
                """);
        assertThat(p.jobs().get("b").image()).isSameAs(p.defaults().image());
        assertThat(SecretReferences.of(p)).extracting(SecretRef::name, SecretRef::path, SecretRef::location)
                .containsExactly(tuple("registry-token", "defaults.image.auth.password",
                        new Location("gantry.yml", 2, 65)));
    }

    @Test
    void aServiceImageInAJobThatInheritsOneIsFine() {
        Pipeline p = load("""
                defaults: {image: python}
                jobs:
                  e2e:
                    services: {tts: {command: "serve --port {{ port }}", image: tts}}
                    steps: [{run: make}]
                """);
        assertThat(p.jobs().get("e2e").image().name()).isEqualTo("python");
        assertThat(p.jobs().get("e2e").services().get(0).image().name()).isEqualTo("tts");
    }

    @Test
    void aNumericUserIsText() {
        Pipeline p = load("jobs:\n  a: {image: {name: python, user: 1000}, steps: [{run: make}]}\n");
        assertThat(p.jobs().get("a").image().user()).isEqualTo("1000");
    }
}

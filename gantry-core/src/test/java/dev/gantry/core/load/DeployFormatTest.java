package dev.gantry.core.load;

import dev.gantry.core.pipeline.Restart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.pipeline.AttachStep;
import dev.gantry.core.pipeline.AudioCheckStep;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.DeployStep;
import dev.gantry.core.pipeline.EnvironmentDef;
import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.NotifyEvent;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.pipeline.ProbeDef;
import dev.gantry.core.pipeline.RunStep;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.core.pipeline.ServiceDef;
import dev.gantry.core.pipeline.Value;
import dev.gantry.core.pipeline.WhenDef;
import dev.gantry.core.validate.Pipelines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deploy vocabulary, loaded into the definition records, with every default. */
class DeployFormatTest {

    private static Pipeline load(String yaml) {
        return Pipelines.load("gantry.yml", yaml.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static Pipeline example() throws Exception {
        Path file = Path.of("src/test/resources/pipelines/valid/deploy.yml");
        return Pipelines.load("deploy.yml", Files.readAllBytes(file), Map.of());
    }

    @Test
    void loadsTheEnvironmentsInFileOrder() throws Exception {
        Pipeline p = example();
        assertThat(p.environments().keySet()).containsExactly("staging", "production");
        EnvironmentDef staging = p.environments().get("staging");
        assertThat(staging.name()).isEqualTo("staging");
        assertThat(staging.when()).isEqualTo(new WhenDef(List.of("main"), null));
        assertThat(staging.keepReleases()).isEqualTo(EnvironmentDef.KEEP_RELEASES);
        assertThat(staging.location().line()).isEqualTo(4);
        EnvironmentDef production = p.environments().get("production");
        assertThat(production.when()).isEqualTo(new WhenDef(null, List.of("v*")));
        assertThat(production.keepReleases()).isEqualTo(5);
    }

    @Test
    void appendsTheDeployAfterTheJobsOwnSteps() throws Exception {
        JobDef job = example().jobs().get("deploy");
        assertThat(job.steps()).hasSize(2);
        assertThat(job.steps().get(0)).isInstanceOf(AttachStep.class);
        DeployStep step = (DeployStep) job.steps().get(1);
        assertThat(step.type()).isEqualTo("deploy");
        assertThat(step.job()).isEqualTo("deploy");
        assertThat(step.path()).isEqualTo("jobs.deploy.deploy");
        assertThat(step.location().line()).isEqualTo(19);
        assertThat(step.name()).isEqualTo("deploy to auto");
    }

    @Test
    void loadsEveryPartOfTheDeploy() throws Exception {
        DeployDef d = ((DeployStep) example().jobs().get("deploy").steps().get(1)).deploy();
        assertThat(d.environment()).isEqualTo(DeployDef.AUTO);
        assertThat(d.environmentLocation().line()).isEqualTo(19);
        assertThat(d.release()).isEqualTo(new DeployDef.Release(List.of("target/tts-service.jar", "config/"),
                List.of("models")));

        ServiceDef service = d.service();
        assertThat(service.name()).isEqualTo("deploy");
        assertThat(service.command()).isEqualTo("java -jar {{ release_dir }}/tts-service.jar --port {{ port }}");
        assertThat(service.env()).containsOnlyKeys("HF_TOKEN");
        assertThat(service.env().get("HF_TOKEN")).isInstanceOfSatisfying(SecretRef.class,
                r -> assertThat(r.name()).isEqualTo("hf-token"));
        assertThat(service.ready().kind()).isEqualTo(ProbeDef.Kind.HTTP);
        assertThat(service.ready().http().target()).isEqualTo("/health/ready");
        assertThat(service.ready().http().json()).containsEntry("model_loaded", "true");
        assertThat(service.ready().startupTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(service.stopSignal()).isEqualTo("TERM");
        assertThat(service.gracePeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(service.dependsOn()).isEmpty();

        assertThat(d.port()).isEqualTo(7860);
        assertThat(d.restart()).isEqualTo(new Restart(3, Duration.ofMinutes(10)));
        assertThat(d.strategy()).isEqualTo(DeployDef.Strategy.REPLACE);
        assertThat(d.gate()).hasSize(2);
        assertThat(d.gate().get(0)).isInstanceOfSatisfying(RunStep.class, r -> {
            assertThat(r.command()).startsWith("curl -sf -X POST \"$GANTRY_RELEASE_URL/tts\"");
            assertThat(r.path()).isEqualTo("jobs.deploy.deploy.gate[0]");
        });
        assertThat(d.gate().get(1)).isInstanceOf(AudioCheckStep.class);
        assertThat(d.gateTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.rollback()).isEqualTo(DeployDef.Rollback.AUTO);

        assertThat(d.monitor().onFailure()).isEqualTo(DeployDef.MonitorAction.ALERT);
        ProbeDef monitor = d.monitor().probe();
        assertThat(monitor.kind()).isEqualTo(ProbeDef.Kind.HTTP);
        assertThat(monitor.http().target()).isEqualTo("/health/ready");
        assertThat(monitor.period()).isEqualTo(Duration.ofSeconds(30));
        assertThat(monitor.failureThreshold()).isEqualTo(3);
        assertThat(monitor.startupTimeout()).as("a live release has no start-up grace").isZero();
    }

    @Test
    void loadsTheNotificationChannels() throws Exception {
        List<NotifyDef> n = example().notifications();
        assertThat(n).extracting(NotifyDef::channel).containsExactly(NotifyDef.Channel.SLACK,
                NotifyDef.Channel.WEBHOOK, NotifyDef.Channel.EMAIL);

        NotifyDef slack = n.get(0);
        assertThat(slack.path()).isEqualTo("notify[0].slack");
        assertThat(slack.url()).isInstanceOfSatisfying(SecretRef.class, r -> {
            assertThat(r.name()).isEqualTo("slack-url");
            assertThat(r.path()).isEqualTo("notify[0].slack.url");
        });
        assertThat(slack.secret()).isNull();
        assertThat(slack.on()).containsExactlyInAnyOrder(NotifyEvent.BUILD_FAILED, NotifyEvent.BUILD_FIXED,
                NotifyEvent.DEPLOY_ROLLED_BACK, NotifyEvent.MONITOR_FAILED, NotifyEvent.MONITOR_RECOVERED);

        NotifyDef webhook = n.get(1);
        assertThat(webhook.url()).isEqualTo(Value.of("https://hooks.example/ci"));
        assertThat(webhook.secret()).isInstanceOfSatisfying(SecretRef.class,
                r -> assertThat(r.name()).isEqualTo("hook-key"));
        assertThat(webhook.on()).isEqualTo(EnumSet.allOf(NotifyEvent.class));

        NotifyDef email = n.get(2);
        assertThat(email.url()).isNull();
        assertThat(email.smtp().host()).isEqualTo("smtp.example");
        assertThat(email.smtp().port()).isEqualTo(587);
        assertThat(email.smtp().user()).isEqualTo(Value.of("ci"));
        assertThat(email.smtp().password()).isInstanceOfSatisfying(SecretRef.class,
                r -> assertThat(r.name()).isEqualTo("smtp"));
        assertThat(email.smtp().starttls()).isTrue();
        assertThat(email.from()).isNull();
        assertThat(email.to()).containsExactly("oncall@example");
        assertThat(email.on()).containsExactlyInAnyOrder(NotifyEvent.DEPLOY_ROLLED_BACK, NotifyEvent.MONITOR_FAILED);
    }

    @Test
    void aJobMayBeJustADeployWithEveryDefault() {
        Pipeline p = load("""
                environments:
                  production: {when: {tags: ["v*"]}}
                jobs:
                  ship:
                    deploy:
                      service: {command: "./serve --port {{ port }}", port: 8080}
                """);
        JobDef job = p.jobs().get("ship");
        assertThat(job.steps()).singleElement().isInstanceOf(DeployStep.class);
        DeployDef d = ((DeployStep) job.steps().get(0)).deploy();
        assertThat(d.environment()).isEqualTo(DeployDef.AUTO);
        assertThat(d.environmentLocation()).isEqualTo(d.location());
        assertThat(d.release()).isEqualTo(DeployDef.Release.NONE);
        assertThat(d.port()).isEqualTo(8080);
        assertThat(d.restart()).isEqualTo(Restart.STANDARD);
        assertThat(d.strategy()).isEqualTo(DeployDef.Strategy.REPLACE);
        assertThat(d.gate()).isEmpty();
        assertThat(d.gateTimeout()).isEqualTo(DeployDef.GATE_TIMEOUT);
        assertThat(d.rollback()).isEqualTo(DeployDef.Rollback.AUTO);
        assertThat(d.monitor()).isNull();
        assertThat(d.service().ready()).isNull();
        assertThat(p.notifications()).isEmpty();
    }

    @Test
    void readsTheOtherChoicesAndTheFullMonitorVocabulary() {
        Pipeline p = load("""
                environments:
                  staging: {keep_releases: 2}
                jobs:
                  ship:
                    steps: [{run: make}]
                    deploy:
                      environment: staging
                      strategy: blue_green
                      rollback: none
                      gate_timeout: 90s
                      service:
                        command: ./serve --port {{ port }}
                        port: 7860
                        restart: {max: 0}
                      monitor:
                        exec: ./check.sh
                        period: 5s
                        timeout: 2s
                        success_threshold: 2
                        failure_threshold: 4
                        on_failure: rollback
                """);
        assertThat(p.environments().get("staging").when().isAlways()).isTrue();
        assertThat(p.environments().get("staging").keepReleases()).isEqualTo(2);
        DeployDef d = ((DeployStep) p.jobs().get("ship").steps().get(1)).deploy();
        assertThat(d.environment()).isEqualTo("staging");
        assertThat(d.environmentLocation().line()).isEqualTo(7);
        assertThat(d.strategy()).isEqualTo(DeployDef.Strategy.BLUE_GREEN);
        assertThat(d.rollback()).isEqualTo(DeployDef.Rollback.NONE);
        assertThat(d.gateTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(d.restart()).isEqualTo(new Restart(0, Duration.ofMinutes(10)));
        ProbeDef probe = d.monitor().probe();
        assertThat(probe.kind()).isEqualTo(ProbeDef.Kind.EXEC);
        assertThat(probe.exec()).isEqualTo("./check.sh");
        assertThat(probe.period()).isEqualTo(Duration.ofSeconds(5));
        assertThat(probe.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(probe.successThreshold()).isEqualTo(2);
        assertThat(probe.failureThreshold()).isEqualTo(4);
        assertThat(d.monitor().onFailure()).isEqualTo(DeployDef.MonitorAction.ROLLBACK);
    }

    @Test
    void aMonitorLeftToItsDefaultsProbesEveryThirtySecondsAndAlertsAfterThreeFailures() {
        Pipeline p = load("""
                environments: {production: {}}
                jobs:
                  ship:
                    deploy:
                      environment: production
                      service: {command: serve, port: 80}
                      monitor: {tcp: true}
                """);
        DeployDef.Monitor m = ((DeployStep) p.jobs().get("ship").steps().get(0)).deploy().monitor();
        assertThat(m.onFailure()).isEqualTo(DeployDef.MonitorAction.ALERT);
        assertThat(m.probe().kind()).isEqualTo(ProbeDef.Kind.TCP);
        assertThat(m.probe().tcpPort()).as("the release's own port").isZero();
        assertThat(m.probe().period()).isEqualTo(Duration.ofSeconds(30));
        assertThat(m.probe().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(m.probe().failureThreshold()).isEqualTo(3);
        assertThat(m.probe().successThreshold()).isEqualTo(1);
    }

    @Test
    void aChannelWithoutOnGetsFailuresFixesRollbacksAndMonitorChanges() {
        Pipeline p = load("""
                jobs:
                  build: {steps: [{run: make}]}
                notify:
                  - webhook: {url: "http://127.0.0.1:9/hook"}
                  - email:
                      smtp: {host: localhost, port: 2525, starttls: false}
                      from: gantry@ci.example
                      to: oncall@example
                      on: deploy_succeeded
                """);
        NotifyDef webhook = p.notifications().get(0);
        assertThat(webhook.on()).containsExactlyInAnyOrder(NotifyEvent.BUILD_FAILED, NotifyEvent.BUILD_FIXED,
                NotifyEvent.DEPLOY_FAILED, NotifyEvent.DEPLOY_ROLLED_BACK, NotifyEvent.MONITOR_FAILED,
                NotifyEvent.MONITOR_RECOVERED);
        assertThat(webhook.on()).doesNotContain(NotifyEvent.DEPLOY_SUCCEEDED);
        assertThat(webhook.secret()).isNull();
        NotifyDef email = p.notifications().get(1);
        assertThat(email.smtp()).isEqualTo(new NotifyDef.Smtp("localhost", 2525, null, null, false));
        assertThat(email.from()).isEqualTo("gantry@ci.example");
        assertThat(email.to()).containsExactly("oncall@example");
        assertThat(email.on()).containsExactly(NotifyEvent.DEPLOY_SUCCEEDED);
    }

    @Test
    void templatesInTheServiceCommandAreLeftForTheDeployToFillIn() {
        Pipeline p = load("""
                environments: {prod: {}}
                jobs:
                  ship:
                    deploy:
                      environment: prod
                      service:
                        command: cd {{ release_dir }} && exec ./serve --port {{ port }}
                        port: 9000
                """);
        assertThat(((DeployStep) p.jobs().get("ship").steps().get(0)).deploy().service().command())
                .isEqualTo("cd {{ release_dir }} && exec ./serve --port {{ port }}");
    }

    @Test
    void twoDeployJobsMayTargetTheSameEnvironment() {
        Pipeline p = load("""
                environments: {production: {when: {tags: ["v*"]}}}
                jobs:
                  api:
                    deploy: {environment: production, service: {command: api, port: 8080}}
                  tts:
                    deploy: {environment: production, service: {command: tts, port: 7860}}
                """);
        assertThat(p.jobs()).containsOnlyKeys("api", "tts");
    }

    @Test
    void aDeployWrittenWronglyIsReportedOnceAndNotTurnedIntoAStep() {
        assertThatThrownBy(() -> load("""
                environments: {prod: {}}
                jobs:
                  ship:
                    deploy:
                      environment: prod
                      service: {command: serve, port: 99999}
                """)).isInstanceOfSatisfying(PipelineException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("jobs.ship.deploy.service.port");
                    assertThat(problem.message()).startsWith("must be between 1 and 65535");
                }));
    }
}

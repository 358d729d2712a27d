package dev.gantry.core.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.pipeline.Restart;
import dev.gantry.core.pipeline.ServiceDef;
import dev.gantry.core.validate.Pipelines;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job's service takes {@code restart: {max, within}}: without it the service is never restarted (its exit fails
 * the job, as before); {@code max} defaults to {@link Restart#STANDARD}'s, {@code within} to the task's whole run.
 */
class ServiceRestartFormatTest {

    private static List<ServiceDef> services(String services) {
        String yaml = "jobs:\n  e2e:\n    services:\n" + services + "    steps: [{run: make}]\n";
        return Pipelines.load("gantry.yml", yaml.getBytes(StandardCharsets.UTF_8), Map.of()).jobs().get("e2e")
                .services();
    }

    @Test
    void aServiceWithoutRestartIsNeverRestarted() {
        assertThat(services("""
                      short: "serve --port {{ port }}"
                      long: {command: "serve --port {{ port }}"}
                """)).extracting(ServiceDef::restart).containsExactly(null, null);
    }

    @Test
    void restartCountsOverTheWholeTaskUnlessGivenAWindow() {
        List<ServiceDef> s = services("""
                      a: {command: "a --port {{ port }}", restart: {max: 5}}
                      b: {command: "b --port {{ port }}", restart: {max: 2, within: 10m}}
                      c: {command: "c --port {{ port }}", restart: {}}
                      d: {command: "d --port {{ port }}", restart: {max: 0, within: 1h}}
                """);
        assertThat(s).extracting(ServiceDef::restart).containsExactly(new Restart(5, null),
                new Restart(2, Duration.ofMinutes(10)), new Restart(Restart.STANDARD.max(), null),
                new Restart(0, Duration.ofHours(1)));
    }

    @Test
    void refusesABadRestartAtItsPlace() {
        assertThatThrownBy(() -> services("""
                      a: {command: "a --port {{ port }}", restart: {max: 101, within: soon, tries: 3}}
                """))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("gantry.yml:4:58: jobs.e2e.services.a.restart.max: must be between 0 and 100")
                .hasMessageContaining("gantry.yml:4:71: jobs.e2e.services.a.restart.within: bad duration 'soon'")
                .hasMessageContaining("gantry.yml:4:77: jobs.e2e.services.a.restart.tries: unknown key 'tries'");
    }
}

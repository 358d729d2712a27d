package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.engine.process.ProcessTree;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a running gantry stops every task's process tree, prints the summary and exits 130. */
class SignalTest {

    @TempDir
    Path dir;

    @Test
    void sigtermStopsEveryTaskAndLeavesNoProcessBehind() throws Exception {
        Files.writeString(dir.resolve("gantry.yml"), """
                defaults: {grace_period: 2s}
                jobs:
                  serve:
                    parallelism: 2
                    steps:
                      - run: ( setsid sleep 3151 >/dev/null 2>&1 & ); echo "up $GANTRY_BUILD_ID"; sleep 3152
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process gantry = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.gantry.cli.Main", "run", dir.toString(), "--no-color")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(gantry.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String buildId = null;
        int up = 0;
        while (up < 2) {
            String line = out.readLine();
            assertThat(line).as("gantry ended early: %s", lines).isNotNull();
            lines.add(line);
            if (line.contains("│ up ")) {
                up++;
                buildId = line.substring(line.indexOf("│ up ") + 5).trim();
            }
        }
        String marker = "GANTRY_BUILD_ID=" + buildId;
        assertThat(ProcessTree.find(ProcessTree.Selector.marker("GANTRY_BUILD_ID", buildId))).hasSize(4);

        gantry.toHandle().destroy(); // SIGTERM, leaving our end of the pipe open
        StringBuilder rest = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            rest.append(line).append('\n');
        }
        assertThat(gantry.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gantry.exitValue()).isEqualTo(130);
        assertThat(rest).contains("cancelled by SIGTERM").containsPattern("serve\\[0\\] +cancelled");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(ProcessTree.find(new ProcessTree.Selector(marker, 0, 0))).isEmpty());
    }

    @Test
    void stepsAndServicesCanBeStoppedWithSignalsGantryItselfIgnores() throws Exception {
        // started in the background of a script (nohup, cron, `gantry server &`), gantry inherits SIGINT and SIGQUIT
        // ignored; a service stopped with `signal: INT` would then never hear it and be killed after its grace
        Files.writeString(dir.resolve("gantry.yml"), """
                jobs:
                  look:
                    steps:
                      - run: awk '/^SigIgn/ {print "ignored " $2}' /proc/self/status
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process gantry = new ProcessBuilder("bash", "-c", "trap '' INT QUIT; exec \"$0\" \"$@\"", java, "-cp",
                System.getProperty("java.class.path"), "dev.gantry.cli.Main", "run", dir.toString(), "--no-color")
                .redirectErrorStream(true).start();
        String printed = new String(gantry.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gantry.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gantry.exitValue()).as(printed).isZero();
        Matcher m = Pattern.compile("ignored ([0-9a-f]+)").matcher(printed);
        assertThat(m.find()).as(printed).isTrue();
        long mask = Long.parseLong(m.group(1), 16);
        assertThat(mask & (1L << (2 - 1))).as("SIGINT ignored in the step: %s", printed).isZero();
        assertThat(mask & (1L << (3 - 1))).as("SIGQUIT ignored in the step: %s", printed).isZero();
    }
}

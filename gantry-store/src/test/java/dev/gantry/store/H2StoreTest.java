package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2StoreTest extends StoreContract {

    @TempDir
    Path dir;

    @Override
    protected Store open() {
        return Store.embedded(dir);
    }

    /** {@code gantry run} and {@code gantry server} (or two runs) may deploy on one {@code .gantry/db} at once. */
    @Test
    void twoProcessesOnOneEmbeddedDatabaseNeverShareAReleaseNumber() throws Exception {
        int each = 30;
        String pipeline = "two-processes";
        Path childErr = dir.resolve("child.err");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classpath, ReleaseCreatorMain.class.getName(), dir.toString(), pipeline, "production",
                String.valueOf(each))
                .redirectError(childErr.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream in = child.getOutputStream()) {
            assertThat(out.readLine()).as("the child opened the store; its stderr: %s", childErr).isEqualTo("ready");
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                mine.add(store().releases().create(new Release(pipeline, "production", 0, i, null, "main", null,
                        "parent", Map.of(), Map.of(), 7860, ReleaseStatus.DEPLOYING, Instant.now(), null, null,
                        null)).number());
            }
            List<Integer> theirs = new ArrayList<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                theirs.add(Integer.parseInt(line));
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("the child's exit; its stderr: %s", Files.readString(childErr))
                    .isZero();
            List<Integer> all = new ArrayList<>(mine);
            all.addAll(theirs);
            assertThat(theirs).hasSize(each);
            assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 2 * each).boxed().toList());
            assertThat(store().releases().list(pipeline, "production")).hasSize(2 * each);
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }
}

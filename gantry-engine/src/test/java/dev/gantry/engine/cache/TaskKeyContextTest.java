package dev.gantry.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskKeyContextTest {

    @TempDir
    Path dir;

    @Test
    void aDoubleStarChecksumCoversFilesAtTheTopToo() throws Exception {
        Files.createDirectories(dir.resolve("services/tts"));
        Files.writeString(dir.resolve("requirements.txt"), "torch==2.3\n");
        Files.writeString(dir.resolve("services/tts/requirements.txt"), "numpy\n");
        TaskKeyContext keys = new TaskKeyContext(dir, Map.of(), Clock.systemUTC());
        String before = keys.checksum("**/requirements.txt");
        Files.writeString(dir.resolve("requirements.txt"), "torch==2.4\n");
        assertThat(keys.checksum("**/requirements.txt")).as("the top-level file is part of the checksum")
                .isNotEqualTo(before);
    }
}

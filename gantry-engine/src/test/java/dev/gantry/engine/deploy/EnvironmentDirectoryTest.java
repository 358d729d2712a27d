package dev.gantry.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proxy markers tell environments apart by where they live, not only by their names. */
class EnvironmentDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void twoCheckoutsWithTheSameEnvironmentNamesNeverShareAProxyMarker() throws Exception {
        EnvironmentDirectory one = EnvironmentDirectory.of(tmp.resolve("a/.gantry/environments"), "tts", "staging");
        EnvironmentDirectory two = EnvironmentDirectory.of(tmp.resolve("b/.gantry/environments"), "tts", "staging");
        assertThat(one.proxyMarker()).startsWith("GANTRY_PROXY_ID=tts/staging/").isNotEqualTo(two.proxyMarker());

        Files.createDirectories(one.dir());
        Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("a"));
        EnvironmentDirectory viaLink = EnvironmentDirectory.of(tmp.resolve("link/.gantry/environments"), "tts",
                "staging");
        assertThat(viaLink.proxyMarker()).as("the same directory reached through a link").isEqualTo(one.proxyMarker());
    }
}

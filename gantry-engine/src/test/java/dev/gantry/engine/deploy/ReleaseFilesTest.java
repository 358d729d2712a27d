package dev.gantry.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a release is made of: confined copies with digests, and volume digests independent of location. */
class ReleaseFilesTest {

    @TempDir
    Path dir;

    @Test
    void copiesFilesAndDirectoriesWithTheirSha256() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("app.jar"), "jar");
        Files.createDirectories(work.resolve("config/sub"));
        Files.writeString(work.resolve("config/sub/a.yml"), "a: 1");

        Map<String, String> digests = ReleaseFiles.copy(work, List.of("app.jar", "config/"), dir.resolve("r"));

        assertThat(digests).containsOnlyKeys("app.jar", "config/sub/a.yml");
        // sha256 of the three bytes "jar"
        assertThat(digests.get("app.jar"))
                .isEqualTo("sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest
                        .getInstance("SHA-256").digest("jar".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(dir.resolve("r/config/sub/a.yml")).hasContent("a: 1");
    }

    @Test
    void refusesPathsOutsideTheWorkingCopy() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(dir.resolve("secret.txt"), "no");
        Files.createSymbolicLink(work.resolve("link"), dir.resolve("secret.txt"));

        assertThatThrownBy(() -> ReleaseFiles.copy(work, List.of("../secret.txt"), dir.resolve("r1")))
                .isInstanceOf(DeployException.class).hasMessageContaining("outside the working copy");
        assertThatThrownBy(() -> ReleaseFiles.copy(work, List.of("/etc/hostname"), dir.resolve("r2")))
                .isInstanceOf(DeployException.class).hasMessageContaining("outside the working copy");
        assertThatThrownBy(() -> ReleaseFiles.copy(work, List.of("link"), dir.resolve("r3")))
                .isInstanceOf(DeployException.class).hasMessageContaining("outside the working copy");
        assertThatThrownBy(() -> ReleaseFiles.copy(work, List.of("missing.jar"), dir.resolve("r4")))
                .isInstanceOf(DeployException.class).hasMessageContaining("does not exist");
    }

    @Test
    void aVolumeDigestDependsOnContentNotLocation() throws Exception {
        for (String v : List.of("a", "b")) {
            Files.createDirectories(dir.resolve(v + "/weights"));
            Files.writeString(dir.resolve(v + "/weights/model.bin"), "weights");
        }
        assertThat(ReleaseFiles.volumeDigest(dir.resolve("a"))).isEqualTo(ReleaseFiles.volumeDigest(dir.resolve("b")))
                .startsWith("sha256:");
        Files.writeString(dir.resolve("b/weights/model.bin"), "other weights");
        assertThat(ReleaseFiles.volumeDigest(dir.resolve("a")))
                .isNotEqualTo(ReleaseFiles.volumeDigest(dir.resolve("b")));
    }
}

package dev.gantry.engine.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.glob.Glob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobsTest {

    @TempDir
    Path dir;

    @Test
    void walksOnlyWhatTheGlobNamesBeforeItsFirstWildcard() {
        assertThat(Globs.literalPrefix("target/surefire-reports/*.xml")).isEqualTo("target/surefire-reports/");
        assertThat(Globs.literalPrefix("**/*Test.java")).isEmpty();
        assertThat(Globs.literalPrefix("src/*/java/**/*.java")).isEqualTo("src/");
        assertThat(Globs.literalPrefix("*.wav")).isEmpty();
    }

    @Test
    void matchesGlobsFilesAndDirectoriesInsideOnly() throws Exception {
        Files.createDirectories(dir.resolve("out/deep"));
        Files.writeString(dir.resolve("out/a.wav"), "a");
        Files.writeString(dir.resolve("out/deep/b.wav"), "b");
        Files.writeString(dir.resolve("top.wav"), "t");
        assertThat(Globs.files(dir, List.of("out/*.wav"))).containsExactly("out/a.wav");
        assertThat(Globs.files(dir, List.of("**/*.wav"))).containsExactly("out/a.wav", "out/deep/b.wav", "top.wav");
        assertThat(Globs.files(dir, List.of("*.wav", "out/deep"))).containsExactly("out/deep/b.wav", "top.wav");
        assertThat(Globs.files(dir, List.of("missing/*.wav", "nope.txt"))).isEmpty();
    }

    @Test
    void doubleStarMatchesZeroDirectoriesAsInBashGlobstar() throws Exception {
        Files.createDirectories(dir.resolve("tests/unit"));
        Files.writeString(dir.resolve("tests/a.py"), "");
        Files.writeString(dir.resolve("tests/unit/b.py"), "");
        Files.writeString(dir.resolve("test_top.py"), "");
        Files.writeString(dir.resolve("tests/unit/test_deep.py"), "");
        assertThat(Globs.files(dir, List.of("tests/**/*.py")))
                .containsExactly("tests/a.py", "tests/unit/b.py", "tests/unit/test_deep.py");
        assertThat(Globs.files(dir, List.of("**/test_*.py"))).containsExactly("test_top.py", "tests/unit/test_deep.py");
        assertThat(Globs.files(dir, List.of("./tests/*.py"))).containsExactly("tests/a.py");
    }

    @Test
    void aMalformedGlobIsAnErrorNotAnEmptyMatch() {
        assertThatThrownBy(() -> Globs.files(dir, List.of("tests/[a.py")))
                .isInstanceOf(Glob.InvalidGlobException.class)
                .hasMessageContaining("invalid glob 'tests/[a.py'");
    }
}

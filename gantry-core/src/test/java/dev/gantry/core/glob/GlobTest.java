package dev.gantry.core.glob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void doubleStarSegmentMatchesZeroOrMoreDirectories() {
        Glob inTests = new Glob("tests/**/*.py");
        assertThat(inTests.matches("tests/a.py")).isTrue();
        assertThat(inTests.matches("tests/x/a.py")).isTrue();
        assertThat(inTests.matches("tests/x/y/a.py")).isTrue();
        assertThat(inTests.matches("other/a.py")).isFalse();
        assertThat(inTests.matches("testsa.py")).isFalse();
        Glob anywhere = new Glob("**/test_*.py");
        assertThat(anywhere.matches("test_top.py")).isTrue();
        assertThat(anywhere.matches("a/b/test_deep.py")).isTrue();
        assertThat(anywhere.matches("a/b/conftest.py")).isFalse();
        assertThat(new Glob("a/**/b/**/c.txt").matches("a/b/c.txt")).isTrue();
    }

    @Test
    void singleStarAndQuestionMarkStayInOneSegment() {
        assertThat(new Glob("out/*.wav").matches("out/a.wav")).isTrue();
        assertThat(new Glob("out/*.wav").matches("out/deep/a.wav")).isFalse();
        assertThat(new Glob("a?c").matches("abc")).isTrue();
        assertThat(new Glob("a?c").matches("a/c")).isFalse();
    }

    @Test
    void trailingDoubleStarMatchesEverythingBelow() {
        assertThat(new Glob("release/*").matches("release/1.2")).isTrue();
        assertThat(new Glob("release/*").matches("release/1.2/rc")).isFalse();
        assertThat(new Glob("release/**").matches("release/1.2/rc")).isTrue();
        assertThat(new Glob("release/**").matches("release")).isFalse();
        assertThat(new Glob("**").matches("a/b/c")).isTrue();
    }

    @Test
    void classesAlternativesAndEscapes() {
        assertThat(new Glob("test_[ab].py").matches("test_a.py")).isTrue();
        assertThat(new Glob("test_[ab].py").matches("test_c.py")).isFalse();
        assertThat(new Glob("test_[!ab].py").matches("test_c.py")).isTrue();
        assertThat(new Glob("x[!a]y").matches("x/y")).isFalse();
        assertThat(new Glob("v[0-9]").matches("v7")).isTrue();
        assertThat(new Glob("*.{xml,json}").matches("r.json")).isTrue();
        assertThat(new Glob("*.{xml,json}").matches("r.txt")).isFalse();
        assertThat(new Glob("a\\*b").matches("a*b")).isTrue();
        assertThat(new Glob("a\\*b").matches("axb")).isFalse();
        assertThat(new Glob("(x)+.txt").matches("(x)+.txt")).isTrue();
        assertThat(new Glob("main").matches(null)).isFalse();
    }

    @Test
    void rejectsMalformedGlobsSayingWhy() {
        assertThatThrownBy(() -> new Glob("tests/[a.py")).isInstanceOf(Glob.InvalidGlobException.class)
                .hasMessage("invalid glob 'tests/[a.py': '[' at position 7 is never closed with ']'");
        assertThat(Glob.problem("tests/{a,b.py")).contains("invalid glob 'tests/{a,b.py': a '{' is never closed "
                + "with '}'");
        assertThat(Glob.problem("v[z-a]")).hasValueSatisfying(p -> assertThat(p).startsWith("invalid glob 'v[z-a]'"));
        assertThat(Glob.problem("a\\")).isPresent();
        assertThat(Glob.problem("tests/**/*.py")).isEmpty();
    }

    @Test
    void knowsPatternsFromPlainPaths() {
        assertThat(Glob.isPattern("target/surefire-reports")).isFalse();
        assertThat(Glob.isPattern("target/*.xml")).isTrue();
        assertThat(Glob.isPattern("r.{xml,json}")).isTrue();
    }
}

package dev.gantry.core.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.pipeline.Problem;
import dev.gantry.core.pipeline.Problems;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inputs built to hurt the loader (too deep, too big, not UTF-8) are refused with one located problem each, never
 * with an error escaping the loader; they are generated here because they are too large or not text.
 */
class HostileInputTest {

    private static List<Problem> problems(byte[] content) {
        Problems problems = new Problems();
        new PipelineLoader(StepTypes.standard()).parse("gantry.yml", content, problems);
        return problems.sorted();
    }

    private static List<Problem> problems(String text) {
        return problems(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rejectsFlowNestingDeeperThanTheLimitWithItsPlace() {
        String deep = "[".repeat(2000) + "]".repeat(2000);
        List<Problem> found = problems("jobs:\n  build:\n    steps:\n      - run: " + deep + "\n");

        assertThat(found).hasSize(1);
        Problem p = found.get(0);
        assertThat(p.location().line()).isEqualTo(4);
        assertThat(p.location().column()).isEqualTo(14 + PipelineLoader.MAX_DEPTH - 5);
        assertThat(p.message()).startsWith("nested more than " + PipelineLoader.MAX_DEPTH + " levels deep");
    }

    @Test
    void rejectsBlockNestingDeeperThanTheLimit() {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            yaml.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        List<Problem> found = problems(yaml.toString());

        assertThat(found).as("%s", found).hasSize(1);
        assertThat(found.get(0).location().line()).as("%s", found).isEqualTo(PipelineLoader.MAX_DEPTH + 1);
        assertThat(found.get(0).message()).startsWith("nested more than");
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        String inner = "[".repeat(PipelineLoader.MAX_DEPTH - 5) + "]".repeat(PipelineLoader.MAX_DEPTH - 5);
        List<Problem> found = problems("jobs:\n  build:\n    steps:\n      - run: " + inner + "\n");

        assertThat(found).extracting(Problem::message).noneMatch(m -> m.startsWith("nested more than"));
    }

    @Test
    void refusesAFileOverTheSizeLimitBeforeParsingIt() {
        byte[] big = ("jobs:\n  build:\n    steps:\n      - run: '" + "x".repeat(PipelineLoader.MAX_BYTES) + "'\n")
                .getBytes(StandardCharsets.UTF_8);
        List<Problem> found = problems(big);

        assertThat(found).hasSize(1);
        assertThat(found.get(0).message()).startsWith("the file is " + big.length + " bytes; a pipeline file may "
                + "be at most 1 MiB");
    }

    @Test
    void reportsInvalidUtf8AtItsLineAndColumn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("jobs:\n  build:\n    steps:\n      - run: echo \u00e9\u00e9".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xff);
        bytes.writeBytes(" done\n".getBytes(StandardCharsets.UTF_8));
        List<Problem> found = problems(bytes.toByteArray());

        assertThat(found).hasSize(1);
        assertThat(found.get(0).location().line()).isEqualTo(4);
        assertThat(found.get(0).location().column()).isEqualTo(21);
        assertThat(found.get(0).message()).isEqualTo("invalid UTF-8 (byte 0xFF at offset 48): save the file as UTF-8");
    }

    @Test
    void reportsATruncatedUtf8SequenceAtTheEnd() {
        byte[] text = "jobs: {}\n".getBytes(StandardCharsets.UTF_8);
        byte[] content = java.util.Arrays.copyOf(text, text.length + 1);
        content[text.length] = (byte) 0xc3;
        List<Problem> found = problems(content);

        assertThat(found).hasSize(1);
        assertThat(found.get(0).location().line()).isEqualTo(2);
        assertThat(found.get(0).location().column()).isEqualTo(1);
        assertThat(found.get(0).message()).startsWith("invalid UTF-8 (byte 0xC3 at offset 9)");
    }

    @Test
    void refusesAnAliasBombWithOneProblemInsteadOfExpandingIt() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        yaml.append("jobs:\n  build:\n    steps:\n      - run: echo *a9\n");

        List<Problem> found = problems(yaml.toString());

        assertThat(found).hasSize(1);
        assertThat(found.get(0).message()).containsIgnoringCase("alias");
    }
}

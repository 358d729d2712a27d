package dev.gantry.engine.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.batch.http.Backoff;
import dev.gantry.engine.batch.http.RetryAfter;
import dev.gantry.engine.batch.input.Fingerprints;
import dev.gantry.engine.batch.input.InputFile;
import dev.gantry.engine.batch.input.ItemIds;
import dev.gantry.engine.batch.input.LineParser;
import dev.gantry.engine.batch.output.ContentTypes;
import dev.gantry.engine.batch.output.Journal;
import dev.gantry.engine.batch.output.JournalLines;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gantry.core.batch.BatchSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch's small parts, each on its own. */
class BatchPartsTest {

    @TempDir
    Path dir;

    @Test
    void aLineThatIsNotJsonSaysWhyAndWhereWithoutTheParsersNoise() {
        LineParser parser = new LineParser(null, BatchSpec.DEFAULT_ID);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parser.read(7, "{\"custom_id\": \"a\""))
                .isInstanceOfSatisfying(LineParser.LineException.class, e -> {
                    assertThat(e.error().line()).isEqualTo(7);
                    assertThat(e.error().message()).startsWith("not JSON: Unexpected end-of-input")
                            .contains("line: 1, column: 1").doesNotContain("Source", "REDACTED");
                });
    }

    @Test
    void fingerprintsRememberEveryIdThroughGrowth() {
        Fingerprints set = new Fingerprints();
        for (int i = 0; i < 100_000; i++) {
            assertThat(set.add("id-" + i)).isTrue();
        }
        assertThat(set.size()).isEqualTo(100_000);
        for (int i = 0; i < 100_000; i += 997) {
            assertThat(set.contains("id-" + i)).isTrue();
            assertThat(set.add("id-" + i)).isFalse();
        }
        assertThat(set.contains("id-100000")).isFalse();
    }

    @Test
    void idsThatCouldNameAPathOutsideTheOutputAreRefused() {
        assertThat(ItemIds.usable("chapter1_line-0007.v2")).isTrue();
        assertThat(ItemIds.problem("../../x")).isNotNull();
        assertThat(ItemIds.problem("a/b")).isNotNull();
        assertThat(ItemIds.problem(".partial")).contains("start with '.'");
        assertThat(ItemIds.problem("")).isNotNull();
        assertThat(ItemIds.problem("x".repeat(201))).contains("200");
        assertThat(ItemIds.quote("a\nb")).isEqualTo("'a\\u000ab'");
    }

    @Test
    void retryAfterReadsSecondsAndDates() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        assertThat(RetryAfter.parse("3", clock)).isEqualTo(Duration.ofSeconds(3));
        assertThat(RetryAfter.parse("Thu, 01 Jan 2026 00:00:10 GMT", clock)).isEqualTo(Duration.ofSeconds(10));
        assertThat(RetryAfter.parse("Wed, 31 Dec 2025 00:00:10 GMT", clock)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", clock)).isNull();
        assertThat(RetryAfter.parse(null, clock)).isNull();
    }

    @Test
    void backoffGrowsWithinItsCapAndTakesRetryAfterAsAFloorUpToItsOwnCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(5));
        for (int i = 0; i < 200; i++) {
            assertThat(b.delay(1, null)).isLessThanOrEqualTo(Duration.ofMillis(100));
            assertThat(b.delay(3, null)).isLessThanOrEqualTo(Duration.ofMillis(400));
            assertThat(b.delay(60, null)).isLessThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(b.delay(1, Duration.ofSeconds(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(b.delay(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(5));
        }
    }

    @Test
    void contentTypesDecideJsonOrFileAndItsExtension() {
        assertThat(ContentTypes.isJson("application/json; charset=utf-8")).isTrue();
        assertThat(ContentTypes.isJson("application/problem+json")).isTrue();
        assertThat(ContentTypes.isJson("audio/wav")).isFalse();
        assertThat(ContentTypes.extension("Audio/WAV")).isEqualTo("wav");
        assertThat(ContentTypes.extension("audio/mpeg")).isEqualTo("mp3");
        assertThat(ContentTypes.extension("text/plain; charset=utf-8")).isEqualTo("txt");
        assertThat(ContentTypes.extension("video/mp4")).isEqualTo("bin");
        assertThat(ContentTypes.extension(null)).isEqualTo("bin");
    }

    @Test
    void theCountIsTheNonBlankLines() throws Exception {
        Path f = dir.resolve("in.jsonl");
        Files.writeString(f, "{}\n\n  \n{}\r\n{}");
        assertThat(new InputFile(f).countItems()).isEqualTo(3);
    }

    @Test
    void anAbsurdRetryAfterIsCappedWithoutOverflow() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        Duration huge = RetryAfter.parse("10000000000", clock);
        Duration hugest = RetryAfter.parse("99999999999999999999999", clock);
        Duration farDate = RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", clock);
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(5));
        for (Duration d : new Duration[] {huge, hugest, farDate, Duration.ofSeconds(Long.MAX_VALUE)}) {
            assertThat(d).isNotNull();
            assertThat(b.delay(1, d)).isEqualTo(Duration.ofSeconds(5));
        }
    }

    @Test
    void theJournalWritesOnceItsPendingLinesPassEightMiB() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path results = out.resolve(BatchSpec.RESULTS);
        try (Journal j = new Journal(out, new BatchSpec.Flush(100_000, Duration.ofHours(1)))) {
            TextNode big = TextNode.valueOf("x".repeat(5 << 20));
            j.result(new JournalLines.Result("a", 200, null, 0, null, 1, 1, big));
            assertThat(Files.size(results)).isZero();
            j.result(new JournalLines.Result("b", 200, null, 0, null, 1, 1, big));
            assertThat(Files.size(results)).isGreaterThan(10L << 20);
        }
    }
}

package dev.gantry.engine.batch;

import static dev.gantry.engine.batch.BatchFixture.idsOf;
import static dev.gantry.engine.batch.BatchFixture.journal;
import static dev.gantry.engine.batch.BatchFixture.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.batch.BatchSpec;
import dev.gantry.engine.batch.LoopbackService.Answer;
import dev.gantry.engine.cancel.Cancellation;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile or unlucky world does to a batch: torn journals, absurd answers and headers, a worker that throws,
 * a stop that must wait for its workers, ids a case-insensitive file system folds together, links planted in the
 * output, odd line endings. Each ends as a clear error of one item, or a clear failure of the batch; never a hang,
 * never a batch that cannot be resumed.
 */
class BatchHardeningTest {

    @TempDir
    Path dir;

    private static Answer wav(String id) {
        return new Answer(200, "audio/wav", LoopbackService.rendered(id));
    }

    private static Answer json(String text) {
        return new Answer(200, "application/json", text.getBytes(StandardCharsets.UTF_8));
    }

    private static BatchSpec spec(int retries) {
        return BatchFixture.spec(2, retries, Duration.ofSeconds(10), false);
    }

    private static JsonNode only(List<JsonNode> lines, String id) {
        return lines.stream().filter(n -> id.equals(n.path("id").asText(null))).findFirst().orElseThrow();
    }

    @Test
    void aJournalLineTornInsideAMultiByteCharacterIsDroppedAndItsItemRedone() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("a"), line("b")));
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> json("{\"word\":\"café\"}"))) {
            Path out = Files.createDirectories(dir.resolve("out"));
            // a kill -9 tore b's line after the first byte of 'é' (C3 A9)
            ByteArrayOutputStream torn = new ByteArrayOutputStream();
            torn.write(("{\"id\":\"a\",\"status\":200,\"latency_ms\":1,\"attempts\":1,"
                    + "\"body\":{\"word\":\"caf\u00e9\"}}\n").getBytes(StandardCharsets.UTF_8));
            torn.write("{\"id\":\"b\",\"status\":200,\"latency_ms\":1,\"attempts\":1,\"body\":{\"word\":\"caf"
                    .getBytes(StandardCharsets.UTF_8));
            torn.write(0xC3);
            Files.write(out.resolve(BatchSpec.RESULTS), torn.toByteArray());

            BatchResult r = BatchFixture.run(spec(0), dir, BatchTarget.url(service.base()),
                    new BatchFixture.Recorder(), Cancellation.root());
            assertThat(r.failure()).isNull();
            assertThat(service.seen()).extracting(LoopbackService.Seen::id).containsExactly("b");
        }
        List<JsonNode> results = journal(dir, BatchSpec.RESULTS);
        assertThat(idsOf(results)).containsExactlyInAnyOrder("a", "b");
        assertThat(only(results, "b").get("body").get("word").asText()).isEqualTo("café");
        // the journal is written as pure ASCII, so a torn line can never split a character again
        byte[] bytes = Files.readAllBytes(dir.resolve("out").resolve(BatchSpec.RESULTS));
        for (byte b : Arrays.copyOfRange(bytes, bytes.length / 2, bytes.length)) {
            assertThat(b & 0xff).isLessThan(0x80);
        }
    }

    @Test
    void anAbsurdRetryAfterIsCappedInsteadOfStoppingTheBatch() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("seconds"), line("date"), line("plain")));
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> {
            if (attempt == 1 && id.equals("seconds")) {
                return new Answer(429, "text/plain", Map.of("Retry-After", "10000000000"), "later".getBytes());
            }
            if (attempt == 1 && id.equals("date")) {
                return new Answer(503, "text/plain", Map.of("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"),
                        "later".getBytes());
            }
            return wav(id);
        })) {
            BatchResult r = BatchFixture.run(spec(2), dir, BatchTarget.url(service.base()),
                    new BatchFixture.Recorder(), Cancellation.root());
            assertThat(r.failure()).isNull();
        }
        assertThat(idsOf(journal(dir, BatchSpec.RESULTS))).containsExactlyInAnyOrder("seconds", "date", "plain");
    }

    @Test
    void aJsonAnswerTooDeeplyNestedToRecordEndsAsBadAnswer() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("deep"), line("fine")));
        String deep = "[".repeat(1000) + "]".repeat(1000);
        try (LoopbackService service = new LoopbackService((id, attempt, body) ->
                id.equals("deep") ? json(deep) : json("{\"ok\":true}"))) {
            BatchResult r = BatchFixture.run(spec(0), dir, BatchTarget.url(service.base()),
                    new BatchFixture.Recorder(), Cancellation.root());
            assertThat(r.failure()).isNull();
        }
        assertThat(idsOf(journal(dir, BatchSpec.RESULTS))).containsExactly("fine");
        JsonNode e = only(journal(dir, BatchSpec.ERRORS), "deep");
        assertThat(e.get("kind").asText()).isEqualTo("bad_answer");
        assertThat(e.get("message").asText()).contains("too deeply nested");
    }

    /** A URL target whose {@code down()} does what the test says when a worker asks (after a failed attempt). */
    private static BatchTarget askedByWorkers(URI base, Runnable onWorker) {
        return new BatchTarget() {
            @Override
            public URI base() {
                return base;
            }

            @Override
            public boolean awaitReady(Cancellation cancellation) {
                return !cancellation.isCancelled();
            }

            @Override
            public boolean down() {
                if (Thread.currentThread().getName().equals("batch-worker")) {
                    onWorker.run();
                }
                return false;
            }

            @Override
            public String gone() {
                return null;
            }

            @Override
            public long outages() {
                return 0;
            }

            @Override
            public boolean supervised() {
                return false;
            }
        };
    }

    @Test
    void anUnexpectedExceptionForOneItemEndsThatItemAndTheBatchGoesOn() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("x"), line("y"), line("z")));
        try (LoopbackService service = new LoopbackService((id, attempt, body) ->
                id.equals("y") ? new Answer(500, "text/plain", "oops".getBytes()) : wav(id))) {
            BatchTarget target = askedByWorkers(service.base(), () -> {
                throw new IllegalStateException("a bug for one item");
            });
            BatchResult r = BatchFixture.run(spec(1), dir, target, new BatchFixture.Recorder(), Cancellation.root());
            assertThat(r.failure()).isNull();
        }
        assertThat(idsOf(journal(dir, BatchSpec.RESULTS))).containsExactlyInAnyOrder("x", "z");
        JsonNode e = only(journal(dir, BatchSpec.ERRORS), "y");
        assertThat(e.get("kind").asText()).isEqualTo("internal");
        assertThat(e.get("message").asText()).contains("a bug for one item");
    }

    @Test
    void anErrorInAWorkerFailsTheBatchInsteadOfHangingIt() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("x"), line("y")));
        try (LoopbackService service = new LoopbackService((id, attempt, body) ->
                new Answer(500, "text/plain", "oops".getBytes()))) {
            BatchTarget target = askedByWorkers(service.base(), () -> {
                throw new OutOfMemoryError("simulated: Java heap space");
            });
            BatchResult r = CompletableFuture.supplyAsync(() -> BatchFixture.run(spec(3), dir, target,
                    new BatchFixture.Recorder(), Cancellation.root())).get(60, TimeUnit.SECONDS);
            assertThat(r.failure()).contains("OutOfMemoryError").contains("simulated: Java heap space");
        }
    }

    @Test
    void aLineLongerThan16MiBIsAnErrorAndTheNextLineStillRuns() throws Exception {
        Path in = dir.resolve("in.jsonl");
        try (var w = Files.newBufferedWriter(in, StandardCharsets.UTF_8)) {
            w.write(line("before") + "\n");
            w.write("{\"custom_id\":\"huge\",\"text\":\"");
            char[] chunk = new char[1 << 20];
            Arrays.fill(chunk, 'x');
            for (int i = 0; i < 17; i++) {
                w.write(chunk);
            }
            w.write("\",\"voice\":\"v\"}\n");
            w.write(line("after") + "\n");
        }
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> wav(id))) {
            BatchResult r = BatchFixture.run(spec(0), dir, BatchTarget.url(service.base()),
                    new BatchFixture.Recorder(), Cancellation.root());
            assertThat(r.failure()).isNull();
            assertThat(r.figures().total()).isEqualTo(3);
        }
        assertThat(idsOf(journal(dir, BatchSpec.RESULTS))).containsExactlyInAnyOrder("before", "after");
        assertThat(journal(dir, BatchSpec.ERRORS)).singleElement().satisfies(e -> {
            assertThat(e.get("line").asInt()).isEqualTo(2);
            assertThat(e.get("kind").asText()).isEqualTo("invalid_json");
            assertThat(e.get("message").asText()).isEqualTo("a line longer than 16 MiB");
        });
    }

    @Test
    void aStopWaitsForItsWorkersEvenWhenTheDispatcherIsInterrupted() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("slow")));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        try (LoopbackService service = new LoopbackService((id, attempt, body) ->
                new Answer(500, "text/plain", "oops".getBytes()))) {
            BatchTarget target = askedByWorkers(service.base(), () -> {
                entered.countDown();
                while (true) {
                    try {
                        release.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted.countDown(); // a worker that does not stop at once when told
                    }
                }
                events.add("worker done");
            });
            AtomicReference<BatchResult> result = new AtomicReference<>();
            Thread runner = new Thread(() -> {
                result.set(BatchFixture.run(spec(0), dir, target, new BatchFixture.Recorder(), Cancellation.root()));
                events.add("run returned");
            }, "batch-runner");
            runner.start();
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            runner.interrupt();
            assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(30, TimeUnit.SECONDS).until(() -> !runner.isAlive() || waitingInStop(runner));
            boolean waitedForTheWorker = runner.isAlive();
            release.countDown();
            runner.join(60_000);
            assertThat(runner.isAlive()).isFalse();
            assertThat(waitedForTheWorker).isTrue();
            assertThat(events).containsExactly("worker done", "run returned");
            assertThat(result.get().failure()).isEqualTo("interrupted");
        }
    }

    private static boolean waitingInStop(Thread t) {
        Thread.State s = t.getState();
        return (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING)
                && Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().endsWith("Dispatcher")
                && f.getMethodName().equals("stop"));
    }

    @Test
    void idsEqualIgnoringCaseAreDuplicatesSinceTheyNameOneFileOnSomeFileSystems() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("Take1"), line("take1"), line("TAKE2")));
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> wav(id))) {
            BatchResult r = BatchFixture.run(spec(0), dir, BatchTarget.url(service.base()),
                    new BatchFixture.Recorder(), Cancellation.root());
            assertThat(r.failure()).isNull();
        }
        assertThat(idsOf(journal(dir, BatchSpec.RESULTS))).containsExactlyInAnyOrder("Take1", "TAKE2");
        assertThat(journal(dir, BatchSpec.ERRORS)).singleElement().satisfies(e -> {
            assertThat(e.get("line").asInt()).isEqualTo(2);
            assertThat(e.get("kind").asText()).isEqualTo("duplicate_id");
            assertThat(e.get("message").asText()).contains("'take1'").contains("ignoring case");
        });
    }

    @Test
    void aResumedBatchTreatsARecordedIdOfAnotherCaseAsDone() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("abc")));
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve(BatchSpec.RESULTS),
                "{\"id\":\"ABC\",\"status\":200,\"latency_ms\":1,\"attempts\":1,\"body\":{}}\n"
                        + "{\"id\":\"Abc\",\"status\":200,\"latency_ms\":1,\"attempts\":1,\"body\":{}}\n");
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> json("{}"))) {
            BatchResult r = BatchFixture.run(spec(0), dir, BatchTarget.url(service.base()),
                    new BatchFixture.Recorder(), Cancellation.root());
            assertThat(r.failure()).isNull();
            assertThat(service.seen()).isEmpty();
        }
        assertThat(idsOf(journal(dir, BatchSpec.RESULTS))).containsExactly("ABC");
    }

    @Test
    void aPartialDirectoryThatIsALinkIsRefusedAndWhatItPointsAtIsLeftAlone() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("a")));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("precious.txt"), "keep me");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve(".partial"), elsewhere);
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> wav(id))) {
            BatchResult r = BatchFixture.run(spec(0), dir, BatchTarget.url(service.base()),
                    new BatchFixture.Recorder(), Cancellation.root());
            assertThat(r.failure()).contains(".partial").contains("symbolic link");
            assertThat(service.seen()).isEmpty();
        }
        assertThat(elsewhere.resolve("precious.txt")).hasContent("keep me");
    }

    @Test
    void aJournalThatIsALinkIsRefused() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("a")));
        Path victim = Files.writeString(dir.resolve("victim.txt"), "keep me\n");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve(BatchSpec.ERRORS), victim);
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> wav(id))) {
            BatchResult r = BatchFixture.run(spec(0), dir, BatchTarget.url(service.base()),
                    new BatchFixture.Recorder(), Cancellation.root());
            assertThat(r.failure()).contains(BatchSpec.ERRORS).contains("symbolic link");
        }
        assertThat(victim).hasContent("keep me");
    }

    @Test
    void anOutputFileThatIsALinkIsReplacedNeverWrittenThrough() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("a")));
        Path victim = Files.writeString(dir.resolve("victim.txt"), "keep me");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve("a.wav"), victim);
        // a recorded result whose "file" is the link: it does not count, the item is redone
        Files.writeString(out.resolve(BatchSpec.RESULTS), "{\"id\":\"a\",\"status\":200,\"output\":\"a.wav\","
                + "\"bytes\":7,\"sha256\":\"" + BatchFixture.sha256("keep me".getBytes())
                + "\",\"latency_ms\":1,\"attempts\":1}\n");
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> wav(id))) {
            BatchResult r = BatchFixture.run(spec(0), dir, BatchTarget.url(service.base()),
                    new BatchFixture.Recorder(), Cancellation.root());
            assertThat(r.failure()).isNull();
            assertThat(service.seen()).extracting(LoopbackService.Seen::id).containsExactly("a");
        }
        assertThat(victim).hasContent("keep me");
        assertThat(Files.isSymbolicLink(out.resolve("a.wav"))).isFalse();
        assertThat(Files.readAllBytes(out.resolve("a.wav"))).isEqualTo(LoopbackService.rendered("a"));
    }

    @Test
    void runsShareOneHttpClientSoNoneLeaksItsSelectorThread() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("a")));
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> wav(id))) {
            // the first run builds what is shared; the runs after it must add no selector thread
            BatchFixture.run(spec(0), dir, BatchTarget.url(service.base()), new BatchFixture.Recorder(),
                    Cancellation.root());
            long before = selectorThreads();
            for (int i = 0; i < 4; i++) {
                Path run = Files.createDirectories(dir.resolve("run" + i));
                BatchFixture.writeInput(run, List.of(line("a")));
                assertThat(BatchFixture.run(spec(0), run, BatchTarget.url(service.base()),
                        new BatchFixture.Recorder(), Cancellation.root()).failure()).isNull();
            }
            assertThat(selectorThreads()).isLessThanOrEqualTo(before);
        }
    }

    private static long selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().contains("SelectorManager")).count();
    }

    @Test
    void aConnectThatHangsEndsWithinTheRequestTimeout() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("a")));
        // a listener whose backlog is full and that never accepts: a new connection's handshake goes unanswered
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
                        fillers.add(s);
                    } catch (java.io.IOException e) {
                        s.close();
                    }
                }
                BatchSpec spec = BatchFixture.spec(1, 0, Duration.ofMillis(500), false);
                BatchResult r = CompletableFuture.supplyAsync(() -> BatchFixture.run(spec, dir,
                        BatchTarget.url(URI.create("http://127.0.0.1:" + full.getLocalPort())),
                        new BatchFixture.Recorder(), Cancellation.root())).get(60, TimeUnit.SECONDS);
                assertThat(r.failure()).isNull();
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
        assertThat(journal(dir, BatchSpec.ERRORS)).singleElement().satisfies(e -> {
            assertThat(e.get("kind").asText()).isEqualTo("timeout");
            assertThat(e.get("message").asText()).startsWith("no complete answer within");
        });
    }

    @Test
    void lineNumbersCountNewlinesWhateverTheLineEndingsAndABomIsSkipped() throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        in.write((line("a") + "\r\n").getBytes(StandardCharsets.UTF_8)); // 1
        in.write("{not json\r\n".getBytes(StandardCharsets.UTF_8));      // 2
        in.write("\r\n".getBytes(StandardCharsets.UTF_8));               // 3: blank
        in.write("{\"x\":1}\r{\"y\":2}\n".getBytes(StandardCharsets.UTF_8)); // 4: a lone CR is inside the line
        in.write((line("b") + "\n").getBytes(StandardCharsets.UTF_8));  // 5
        in.write("oops\r".getBytes(StandardCharsets.UTF_8));             // 6, no newline at the end
        Files.write(dir.resolve("in.jsonl"), in.toByteArray());
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> wav(id))) {
            BatchResult r = BatchFixture.run(spec(0), dir, BatchTarget.url(service.base()),
                    new BatchFixture.Recorder(), Cancellation.root());
            assertThat(r.failure()).isNull();
            assertThat(r.figures().total()).isEqualTo(5);
            assertThat(r.figures().done()).isEqualTo(5);
        }
        assertThat(idsOf(journal(dir, BatchSpec.RESULTS))).containsExactlyInAnyOrder("a", "b");
        assertThat(journal(dir, BatchSpec.ERRORS)).extracting(e -> e.get("line").asInt()).containsExactly(2, 4, 6);
    }

    @Test
    void aRequestThatCannotBeBuiltIsARequestErrorKeptOnResume() throws Exception {
        BatchFixture.writeInput(dir, List.of("{\"custom_id\":\"r1\",\"url\":\"/v1/a b\",\"body\":{}}",
                "{\"custom_id\":\"r2\",\"method\":\"PO ST\",\"url\":\"/v1/r2\",\"body\":{}}"));
        BatchSpec spec = new BatchSpec("in.jsonl", null, BatchSpec.DEFAULT_ID, "out", 1, 0, Duration.ofSeconds(5),
                BatchSpec.Flush.STANDARD, false);
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> json("{}"))) {
            assertThat(BatchFixture.run(spec, dir, BatchTarget.url(service.base()), new BatchFixture.Recorder(),
                    Cancellation.root()).failure()).isNull();
            assertThat(journal(dir, BatchSpec.ERRORS)).hasSize(2).allSatisfy(e -> {
                assertThat(e.get("kind").asText()).isEqualTo("request");
                assertThat(e.get("message").asText()).startsWith("the request cannot be built");
            });
            BatchFixture.Recorder again = new BatchFixture.Recorder();
            BatchResult r2 = BatchFixture.run(spec, dir, BatchTarget.url(service.base()), again, Cancellation.root());
            assertThat(r2.figures().skipped()).isEqualTo(2);
            assertThat(again.notes).contains("resuming: 0 done before, 2 errors kept, 0 to go");
            assertThat(service.seen()).isEmpty();
        }
    }
}

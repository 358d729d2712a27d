package dev.gantry.engine.batch;

import static dev.gantry.engine.batch.BatchFixture.idsOf;
import static dev.gantry.engine.batch.BatchFixture.journal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.batch.BatchSpec;
import dev.gantry.engine.batch.LoopbackService.Answer;
import dev.gantry.engine.batch.LoopbackService.Drop;
import dev.gantry.engine.cancel.Cancellation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch against a service that dies under it: failures while it is down do not use up items' retries, dispatch
 * waits for it to come back, and when it is gone for good the batch stops with what it did kept and resumable.
 */
class BatchTargetDownTest {

    @TempDir
    Path dir;

    /** A service's health as a batch sees it, switched by the test (and by the service when it "dies"). */
    static class SwitchedTarget implements BatchTarget {

        private final URI base;
        volatile boolean down;
        volatile String gone;
        final java.util.concurrent.atomic.AtomicLong outages = new java.util.concurrent.atomic.AtomicLong();
        final AtomicInteger waits = new AtomicInteger();

        SwitchedTarget(URI base) {
            this.base = base;
        }

        @Override
        public URI base() {
            return base;
        }

        @Override
        public synchronized boolean awaitReady(Cancellation cancellation) throws InterruptedException {
            boolean counted = false;
            while (down && gone == null && !cancellation.isCancelled()) {
                if (!counted) {
                    waits.incrementAndGet();
                    counted = true;
                }
                wait(10);
            }
            return gone == null && !cancellation.isCancelled();
        }

        @Override
        public boolean down() {
            return down;
        }

        @Override
        public String gone() {
            return gone;
        }

        @Override
        public long outages() {
            return outages.get();
        }

        @Override
        public boolean supervised() {
            return true;
        }

        /** The service is noticed down, as its exit or a failed probe makes it. */
        void die() {
            outages.incrementAndGet();
            down = true;
        }

        synchronized void up() {
            down = false;
            notifyAll();
        }
    }

    private static LoopbackService dyingAt(int request, SwitchedTarget[] target) throws Exception {
        AtomicInteger n = new AtomicInteger();
        return new LoopbackService((id, attempt, body) -> {
            if (n.incrementAndGet() == request) {
                target[0].die();
            }
            return target[0].down ? new Drop() : new Answer(200, "audio/wav", LoopbackService.rendered(id));
        });
    }

    @Test
    void connectionsBrokenJustBeforeTheServiceIsNoticedDownDoNotUseUpRetriesEither() throws Exception {
        // a dying service breaks its connections a moment before its exit is noticed: the failure is seen while the
        // target still says up, and the outage is noticed only when the batch asks again: those failures are the
        // service's too, and with no retries at all the items must still end in results
        List<String> ids = BatchFixture.ids("r-", 300);
        BatchFixture.writeInput(dir, ids.stream().map(BatchFixture::line).toList());
        AtomicInteger n = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean dying = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger askedSinceDying = new AtomicInteger();
        SwitchedTarget[] target = new SwitchedTarget[1];
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> {
            if (n.incrementAndGet() == 100) {
                dying.set(true);
            }
            return dying.get() && target[0].outages() == 0 || target[0].down ? new Drop()
                    : new Answer(200, "audio/wav", LoopbackService.rendered(id));
        })) {
            target[0] = new SwitchedTarget(service.base()) {
                @Override
                public boolean down() {
                    if (dying.get() && outages() == 0 && Thread.currentThread().getName().equals("batch-worker")
                            && askedSinceDying.incrementAndGet() == 2) {
                        die(); // noticed when a worker asks the second time, after a broken connection
                    }
                    return super.down();
                }
            };
            BatchSpec noRetries = BatchFixture.spec(8, 0, Duration.ofSeconds(5), false);
            CompletableFuture<BatchResult> run = CompletableFuture.supplyAsync(() -> BatchFixture.run(noRetries, dir,
                    target[0], new BatchFixture.Recorder(), Cancellation.root()));
            await().atMost(30, TimeUnit.SECONDS).until(() -> target[0].waits.get() > 0);
            target[0].up();
            assertThat(run.get(60, TimeUnit.SECONDS).complete()).isTrue();
        }
        assertThat(journal(dir, BatchSpec.ERRORS)).isEmpty();
        assertThat(idsOf(journal(dir, BatchSpec.RESULTS))).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void failuresWhileTheServiceIsDownDoNotUseUpRetries() throws Exception {
        List<String> ids = BatchFixture.ids("d-", 400);
        BatchFixture.writeInput(dir, ids.stream().map(BatchFixture::line).toList());
        SwitchedTarget[] target = new SwitchedTarget[1];
        try (LoopbackService service = dyingAt(150, target)) {
            target[0] = new SwitchedTarget(service.base());
            BatchSpec noRetries = BatchFixture.spec(8, 0, Duration.ofSeconds(5), false);
            BatchFixture.Recorder recorder = new BatchFixture.Recorder();
            CompletableFuture<BatchResult> run = CompletableFuture.supplyAsync(() -> BatchFixture.run(noRetries, dir,
                    target[0], recorder, Cancellation.root()));
            await().atMost(30, TimeUnit.SECONDS).until(() -> target[0].waits.get() > 0);
            target[0].up();
            BatchResult result = run.get(60, TimeUnit.SECONDS);
            assertThat(result.complete()).isTrue();
            assertThat(recorder.notes).containsSubsequence(
                    "paused: the service is down; waiting for it to be healthy again",
                    "resumed: the service is healthy again");
        }
        List<JsonNode> results = journal(dir, BatchSpec.RESULTS);
        assertThat(idsOf(results)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(journal(dir, BatchSpec.ERRORS)).isEmpty();
        // with no retries at all, an item that needed a second attempt got it only because the first was the service's
        assertThat(results).anySatisfy(r -> assertThat(r.get("attempts").asInt()).isGreaterThan(1));
    }

    @Test
    void aServiceGoneForGoodStopsTheBatchWithItsWorkKeptAndARerunCompletesIt() throws Exception {
        List<String> ids = BatchFixture.ids("g-", 400);
        BatchFixture.writeInput(dir, ids.stream().map(BatchFixture::line).toList());
        SwitchedTarget[] target = new SwitchedTarget[1];
        BatchSpec spec = BatchFixture.spec(8, 2, Duration.ofSeconds(5), false);
        try (LoopbackService service = dyingAt(150, target)) {
            target[0] = new SwitchedTarget(service.base());
            BatchFixture.Recorder recorder = new BatchFixture.Recorder();
            CompletableFuture<BatchResult> run = CompletableFuture.supplyAsync(() -> BatchFixture.run(spec, dir,
                    target[0], recorder, Cancellation.root()));
            await().atMost(30, TimeUnit.SECONDS).until(() -> target[0].waits.get() > 0);
            target[0].gone = "service 'tts' exited 4 times: its restart budget (3) is spent";
            BatchResult result = run.get(60, TimeUnit.SECONDS);
            assertThat(result.failure()).isEqualTo(target[0].gone);
            assertThat(recorder.notes).anySatisfy(n -> assertThat(n).contains("restart budget"));
        }
        List<String> before = idsOf(journal(dir, BatchSpec.RESULTS));
        assertThat(before).doesNotHaveDuplicates().hasSizeBetween(100, 160);
        assertThat(journal(dir, BatchSpec.ERRORS)).isEmpty();

        try (LoopbackService healthy = new LoopbackService((id, attempt, body) ->
                new Answer(200, "audio/wav", LoopbackService.rendered(id)))) {
            BatchResult again = BatchFixture.run(spec, dir, BatchTarget.url(healthy.base()),
                    new BatchFixture.Recorder(), Cancellation.root());
            assertThat(again.complete()).isTrue();
            assertThat(healthy.seen()).extracting(LoopbackService.Seen::id).doesNotContainAnyElementsOf(before)
                    .hasSize(ids.size() - before.size());
        }
        assertThat(idsOf(journal(dir, BatchSpec.RESULTS))).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids);
    }
}

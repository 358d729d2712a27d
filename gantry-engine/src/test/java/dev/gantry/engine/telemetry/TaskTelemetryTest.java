package dev.gantry.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TaskTelemetryTest {

    @Test
    void aSampleBeingReportedWhenCloseIsCalledArrivesBeforeCloseReturns() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch reporting = new CountDownLatch(1);
        CountDownLatch closeReturned = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        TaskTelemetry telemetry = TaskTelemetry.start("GANTRY_TASK_ID=none-" + System.nanoTime(),
                new NvidiaSmi(null), List.of(), Clock.systemUTC(), Duration.ofMillis(10), sample -> {
                    if (first.getAndSet(false)) {
                        reporting.countDown();
                        // the first sample is still being reported when close() is called: it is reported once
                        // close() has returned (no wait for it), or, when close() waits for it, after 2 s
                        awaitIgnoringInterrupts(closeReturned, Duration.ofSeconds(2));
                    }
                    seen.add("sample");
                });
        assertThat(reporting.await(60, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(() -> {
            telemetry.close();
            seen.add("closed");
            closeReturned.countDown();
        });
        closer.start();
        closer.join(120_000);
        assertThat(seen).contains("sample").containsOnlyOnce("closed").last().isEqualTo("closed");
        assertThat(telemetry.summaries()).hasSize(1);
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        boolean interrupted = false;
        while (latch.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

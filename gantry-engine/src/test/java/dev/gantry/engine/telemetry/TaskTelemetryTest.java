package dev.gantry.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskTelemetryTest {

    @Test
    void aSampleBeingReportedWhenCloseIsCalledArrivesBeforeCloseReturns() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch reporting = new CountDownLatch(1);
        CountDownLatch closing = new CountDownLatch(1);
        TaskTelemetry telemetry = TaskTelemetry.start("GANTRY_TASK_ID=none-" + System.nanoTime(),
                new NvidiaSmi(null), List.of(), Clock.systemUTC(), Duration.ofMillis(10), sample -> {
                    reporting.countDown();
                    try {
                        closing.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    seen.add("sample");
                });
        assertThat(reporting.await(60, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(() -> {
            closing.countDown();
            telemetry.close();
            seen.add("closed");
        });
        closer.start();
        closer.join(120_000);
        assertThat(seen).last().isEqualTo("closed");
        assertThat(seen).containsOnlyOnce("closed").contains("sample");
    }
}

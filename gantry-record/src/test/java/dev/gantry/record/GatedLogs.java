package dev.gantry.record;

import dev.gantry.store.LogRepository;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The store's real log repository with a gate in front of its writes: the next append can be held until the test
 * releases it (to force an interleaving), or refused once (a database that fails for a moment).
 */
final class GatedLogs implements LogRepository {

    private final LogRepository store;
    private final AtomicBoolean failNext = new AtomicBoolean();
    private final AtomicBoolean holdNext = new AtomicBoolean();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    GatedLogs(LogRepository store) {
        this.store = store;
    }

    void failNextAppend() {
        failNext.set(true);
    }

    void holdNextAppend() {
        holdNext.set(true);
    }

    /** Waits until a held append has started. */
    void awaitHeld() throws InterruptedException {
        if (!held.await(2, TimeUnit.MINUTES)) {
            throw new AssertionError("no append came");
        }
    }

    void release() {
        release.countDown();
    }

    @Override
    public int append(String buildId, String task, String content, long[] times) {
        if (failNext.compareAndSet(true, false)) {
            throw new IllegalStateException("the database is away for a moment");
        }
        if (holdNext.compareAndSet(true, false)) {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return store.append(buildId, task, content, times);
    }

    @Override
    public List<String> read(String buildId, String task, int from, int limit) {
        return store.read(buildId, task, from, limit);
    }

    @Override
    public List<String> lines(String buildId, String task, long from, int limit) {
        return store.lines(buildId, task, from, limit);
    }

    @Override
    public List<Line> timedLines(String buildId, String task, long from, int limit) {
        return store.timedLines(buildId, task, from, limit);
    }

    @Override
    public int delete(String buildId) {
        return store.delete(buildId);
    }

    @Override
    public long lineCount(String buildId, String task) {
        return store.lineCount(buildId, task);
    }
}

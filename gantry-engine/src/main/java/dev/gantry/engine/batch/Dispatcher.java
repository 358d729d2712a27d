package dev.gantry.engine.batch;

import dev.gantry.engine.batch.http.Answer;
import dev.gantry.engine.batch.http.Backoff;
import dev.gantry.engine.batch.http.Sender;
import dev.gantry.engine.batch.input.Item;
import dev.gantry.engine.batch.input.ItemIds;
import dev.gantry.engine.batch.input.ItemSource;
import dev.gantry.engine.batch.input.LineError;
import dev.gantry.engine.batch.output.Journal;
import dev.gantry.engine.batch.output.JournalLines;
import dev.gantry.engine.batch.output.OutputDirectory;
import dev.gantry.engine.cancel.Cancellation;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Keeps at most {@code concurrency} attempts in flight. One thread (the caller's) picks the next item, a due retry
 * before a fresh line, takes a slot, waits for the target to be ready, and hands the attempt to a worker; the worker
 * records the answer and gives the slot back. An item backing off waits in a {@link DelayQueue}, holding no slot. At
 * most a window of items is admitted (in flight or backing off) so that memory stays bounded whatever the input's
 * size. Stops at the end of the input, on cancellation, when the target is gone, or when the output cannot be written;
 * attempts under way are then abandoned (a rerun does them again).
 */
final class Dispatcher {

    private static final long POLL_MS = 20;
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /** The error kind of an item that met a bug rather than a failure of its service. */
    static final String INTERNAL = "internal";

    private final ItemSource source;
    private final BatchTarget target;
    private final Sender sender;
    private final OutputDirectory out;
    private final Journal journal;
    private final Tally tally;
    private final Backoff backoff;
    private final int retries;
    /** How long a failure that would spend an item's last retry waits to see whether its service went down. */
    static final Duration VERDICT = Duration.ofSeconds(1);
    private final boolean clearStale;
    private final Cancellation cancellation;
    private final Semaphore slots;
    private final int window;
    private final AtomicInteger admitted = new AtomicInteger();
    private final DelayQueue<Item> waiting = new DelayQueue<>();
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private final ExecutorService workers;
    private final Consumer<String> notes;

    /**
     * @param clearStale whether an item's earlier output files may exist (a resumed run) and must be cleared when it
     *                   ends differently
     */
    Dispatcher(ItemSource source, BatchTarget target, Sender sender, OutputDirectory out, Journal journal, Tally tally,
               Backoff backoff, int concurrency, int retries, boolean clearStale, Cancellation cancellation,
               Consumer<String> notes) {
        this.notes = notes;
        this.source = source;
        this.target = target;
        this.sender = sender;
        this.out = out;
        this.journal = journal;
        this.tally = tally;
        this.backoff = backoff;
        this.retries = retries;
        this.clearStale = clearStale;
        this.cancellation = cancellation;
        this.slots = new Semaphore(concurrency);
        this.window = concurrency * 4 + 16;
        this.workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "batch-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** A failure of the output, from any thread: the batch stops. */
    void fail(String why) {
        fatal.compareAndSet(null, why);
    }

    /** Runs every item; returns why it stopped early, or null when every item ended. */
    String run() {
        try {
            return dispatch();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (IOException e) {
            return "cannot read the input: " + e.getMessage();
        } finally {
            stop();
        }
    }

    private String dispatch() throws InterruptedException, IOException {
        boolean inputDone = false;
        while (true) {
            String stop = stopReason();
            if (stop != null) {
                return stop;
            }
            if (inputDone && admitted.get() == 0) {
                return null;
            }
            Item item = waiting.poll();
            if (item == null && (inputDone || admitted.get() >= window)) {
                item = waiting.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (item == null) {
                    continue;
                }
            }
            if (!slots.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
                if (item != null) {
                    item.dueAt(System.nanoTime());
                    waiting.put(item);
                }
                continue;
            }
            if (item == null) {
                item = source.next();
                if (item == null) {
                    inputDone = true;
                    slots.release();
                    continue;
                }
                admitted.incrementAndGet();
            }
            boolean wasDown = target.down();
            if (wasDown) {
                notes.accept("paused: the service is down; waiting for it to be healthy again");
            }
            if (!target.awaitReady(cancellation)) {
                slots.release();
                String gone = target.gone();
                if (gone != null) {
                    return gone;
                }
                return cancellation.isCancelled() ? cancelled() : "the service will not be ready again";
            }
            if (wasDown) {
                notes.accept("resumed: the service is healthy again");
                item.refundIfCharged();
            }
            Item attempt = item;
            workers.execute(() -> attempt(attempt));
        }
    }

    private String stopReason() {
        if (fatal.get() != null) {
            return fatal.get();
        }
        if (cancellation.isCancelled()) {
            return cancelled();
        }
        if (Thread.currentThread().isInterrupted()) {
            return "interrupted";
        }
        return null;
    }

    private String cancelled() {
        String m = cancellation.message();
        return m != null ? m : "cancelled";
    }

    /**
     * One attempt, on a worker. Only the output failing stops the batch; anything else unexpected about one item
     * (a bug, an answer beyond what can be recorded) ends that item in {@code errors.jsonl} as {@code internal} and
     * the batch goes on. An {@link Error} (out of memory) stops the batch. Whatever happens, the slot is given back and
     * the item leaves the window unless it waits for a retry, so the dispatcher never waits for an item that is gone.
     */
    private void attempt(Item item) {
        boolean released = false;
        boolean retrying = false;
        try {
            item.attempt(target.outages());
            tally.attemptStarted(item.attempts() > 1);
            long start = System.nanoTime();
            Answer answer;
            try {
                answer = sender.send(item);
            } finally {
                tally.attemptEnded();
            }
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            slots.release();
            released = true;
            retrying = !handle(item, answer, latency);
        } catch (IOException e) {
            fail("cannot write the output: " + e.getMessage());
        } catch (RuntimeException e) {
            internal(item, e);
        } catch (Error e) {
            // out of memory and the like: nothing about this item can be trusted to end well, so the batch stops
            // (what was done is kept); the finally below still lets the dispatcher see the item gone
            fail("a fatal error on item " + ItemIds.quote(item.id()) + ": " + e);
        } finally {
            if (!released) {
                slots.release();
            }
            if (!retrying) {
                admitted.decrementAndGet();
            }
        }
    }

    /** Ends an item that met an unexpected exception: an {@code internal} error line, the batch goes on. */
    private void internal(Item item, RuntimeException e) {
        try {
            journal.error(new JournalLines.Error(item.id(), item.line(), INTERNAL,
                    "an internal error of the batch, not the service's: " + e, item.attempts(), null));
            tally.failed();
        } catch (IOException ex) {
            fail("cannot write the output: " + ex.getMessage());
        }
    }

    /** Returns false when the item waits for another attempt. */
    private boolean handle(Item item, Answer answer, Duration latency) throws IOException {
        if (answer instanceof Answer.Stored s) {
            try {
                journal.whileOpen(() -> {
                    String name = out.commit(s.temporary(), item.id(), s.extension());
                    if (clearStale) {
                        out.removeStale(item.id(), s.extension());
                    }
                    journal.result(new JournalLines.Result(item.id(), s.status(), name, s.bytes(), s.sha256(),
                            latency.toMillis(), item.attempts(), null));
                });
            } catch (IOException e) {
                OutputDirectory.discard(s.temporary());
                throw e;
            }
            tally.succeeded(latency);
        } else if (answer instanceof Answer.Json j) {
            byte[] line;
            try {
                line = new JournalLines.Result(item.id(), j.status(), null, 0, null, latency.toMillis(),
                        item.attempts(), j.body()).toJson();
            } catch (JournalLines.UnwritableLineException e) {
                return failed(item, new Answer.Failure(false, "bad_answer", j.status(),
                        "not what was asked: an answer too deeply nested to record (" + e.getMessage() + ")", null));
            }
            journal.whileOpen(() -> {
                if (clearStale) {
                    out.removeStale(item.id(), null);
                }
                journal.result(line);
            });
            tally.succeeded(latency);
        } else if (answer instanceof Answer.Failure f) {
            return failed(item, f);
        }
        return true;
    }

    /** Returns false when the item waits for another attempt. */
    private boolean failed(Item item, Answer.Failure f) throws IOException {
        if (f.transientFailure()) {
            item.failedTransiently(!target.down());
            if (item.charged() > retries && diedUnder(item)) {
                item.refundIfCharged();
            }
            if (item.charged() <= retries) {
                Duration delay = backoff.delay(Math.max(1, item.charged()), f.retryAfter());
                item.dueAt(System.nanoTime() + delay.toNanos());
                waiting.put(item);
                return false;
            }
        }
        String message = f.transientFailure()
                ? f.message() + " (after " + item.attempts() + (item.attempts() == 1 ? " attempt)" : " attempts)")
                : f.message();
        journal.whileOpen(() -> {
            if (clearStale) {
                out.removeStale(item.id(), null);
            }
            journal.error(new JournalLines.Error(item.id(), item.line(), f.kind(), message, item.attempts(),
                    f.status()));
        });
        tally.failed();
        return true;
    }

    /**
     * Whether the item's service went down under its last attempt. A dying service breaks its connections a moment
     * before its exit (or failed probe) is noticed, so before an item's last retry is spent on what may be that, the
     * target is watched for {@link #VERDICT}: an outage then makes the failure the service's, and the item waits
     * for the restart with its retries intact. A URL is never known to be down: nothing to wait for.
     */
    private boolean diedUnder(Item item) {
        if (!target.supervised()) {
            return false;
        }
        long deadline = System.nanoTime() + VERDICT.toNanos();
        while (true) {
            if (target.down() || target.outages() != item.outagesAtStart()) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** What the input's wrong lines become. */
    ItemSource.Sink sink() {
        return new ItemSource.Sink() {
            @Override
            public void lineError(LineError e) {
                try {
                    journal.error(new JournalLines.Error(e.id(), e.line(), e.kind(), e.message(), 0, null));
                    tally.failed();
                } catch (IOException ex) {
                    fail("cannot write the output: " + ex.getMessage());
                }
            }

            @Override
            public void skipped(String id) {
                tally.skipped();
            }
        };
    }

    /**
     * Stops the workers and waits for them, also when this thread was interrupted (the interrupt is kept for the
     * caller): the journal is closed and the output's lock released right after, and a worker still running then
     * could otherwise put a file in place unrecorded. Whatever outlives the bounded wait is refused by the closed
     * journal ({@link Journal#whileOpen}).
     */
    private void stop() {
        sender.abortAll();
        workers.shutdown();
        boolean interrupted = Thread.interrupted();
        try {
            if (interrupted || !awaitWorkers(STOP_WAIT)) {
                workers.shutdownNow();
                if (!awaitWorkers(STOP_WAIT)) {
                    notes.accept("some requests did not stop when told; what they do now is not recorded");
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        waiting.clear();
    }

    /** Waits for the workers to end, at most {@code time}, uninterruptibly (an interrupt is kept for later). */
    private boolean awaitWorkers(Duration time) {
        long deadline = System.nanoTime() + time.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return workers.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

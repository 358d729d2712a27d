package dev.gantry.engine.batch;

import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.batch.BatchSpec;
import dev.gantry.core.batch.Latencies;
import dev.gantry.engine.batch.http.Backoff;
import dev.gantry.engine.batch.http.Sender;
import dev.gantry.engine.batch.input.InputFile;
import dev.gantry.engine.batch.input.ItemSource;
import dev.gantry.engine.batch.input.LineParser;
import dev.gantry.engine.batch.output.Journal;
import dev.gantry.engine.batch.output.OutputDirectory;
import dev.gantry.engine.batch.output.Recovery;
import dev.gantry.engine.cancel.Cancellation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs one batch to its end (or until cancelled, or its target is gone); the one entry point for step and CLI. It
 * recovers what an earlier run of the same batch finished, counts the input, then streams it through a
 * {@link Dispatcher}, reporting progress about once a second; whatever happens, the journal is flushed and the batch
 * can be resumed by running it again.
 */
public final class BatchRun {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

    private BatchRun() {
    }

    /**
     * @param directory what {@code spec}'s input and output are relative to
     */
    public static BatchResult run(BatchSpec spec, Path directory, BatchTarget target, BatchListener listener,
                                  Cancellation cancellation) {
        return run(spec, directory, target, listener, cancellation, Backoff.STANDARD, Clock.systemUTC());
    }

    /** As {@link #run(BatchSpec, Path, BatchTarget, BatchListener, Cancellation)}, with the retries' backoff given. */
    public static BatchResult run(BatchSpec given, Path directory, BatchTarget target, BatchListener listener,
                                  Cancellation cancellation, Backoff backoff, Clock clock) {
        BatchSpec spec = withDefaults(given);
        BatchListener serial = new SerialListener(listener);
        Tally tally = new Tally();
        Path input = directory.resolve(spec.input()).normalize();
        if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
            return stopped(serial, tally, "cannot read the input " + spec.input() + ": no such readable file");
        }
        OutputDirectory out = new OutputDirectory(directory.resolve(spec.output()).normalize());
        OutputDirectory.Lock lock;
        try {
            lock = out.lock();
        } catch (IOException e) {
            return stopped(serial, tally, "cannot write the output " + spec.output() + ": " + e.getMessage());
        }
        if (lock == null) {
            return stopped(serial, tally, "the output " + spec.output() + " is in use by another batch run; "
                    + "wait for it to end (or stop it) and run this one again");
        }
        try {
            return locked(spec, input, out, target, serial, tally, cancellation, backoff, clock);
        } finally {
            try {
                lock.close();
            } catch (IOException e) {
                // the lock goes with the process at the latest
            }
        }
    }

    private static BatchResult locked(BatchSpec spec, Path input, OutputDirectory out, BatchTarget target,
                                      BatchListener serial, Tally tally, Cancellation cancellation, Backoff backoff,
                                      Clock clock) {
        Recovery.Recovered recovered;
        try {
            out.prepare();
            recovered = Recovery.recover(out.path(), spec.retryErrors());
        } catch (IOException e) {
            return stopped(serial, tally, "cannot write the output " + spec.output() + ": " + e.getMessage());
        }
        InputFile in = new InputFile(input);
        try {
            tally.total(in.countItems());
        } catch (IOException e) {
            return stopped(serial, tally, "cannot read the input " + spec.input() + ": " + e.getMessage());
        }
        if (recovered.existed()) {
            serial.note(resumeNote(recovered, tally.total()));
        }
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "batch-timer");
            t.setDaemon(true);
            return t;
        });
        // each attempt's deadline is cancelled when it ends: drop it at once, or a million of them wait out their time
        timer.setRemoveOnCancelPolicy(true);
        String failure;
        try (Journal journal = new Journal(out.path(), spec.flush());
             ItemSource source = openSource(spec, in, recovered)) {
            Sender sender = new Sender(target.base(), spec.timeout(), out, timer, clock);
            Dispatcher dispatcher = new Dispatcher(source, target, sender, out, journal, tally, backoff,
                    spec.concurrency(), spec.retries(), recovered.existed(), cancellation, serial::note);
            source.sink(dispatcher.sink());
            long flushTick = Math.max(5, Math.min(spec.flush().after().toMillis(), 1000) / 4);
            timer.scheduleWithFixedDelay(() -> {
                try {
                    journal.flushIfDue();
                } catch (IOException e) {
                    dispatcher.fail("cannot write the output: " + e.getMessage());
                }
            }, flushTick, flushTick, TimeUnit.MILLISECONDS);
            timer.scheduleAtFixedRate(() -> progress(serial, tally), PROGRESS_EVERY.toMillis(),
                    PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            failure = dispatcher.run();
            timer.shutdown();
            awaitQuietly(timer);
            journal.flush();
        } catch (IOException e) {
            failure = "cannot write the output " + spec.output() + ": " + e.getMessage();
        } finally {
            timer.shutdownNow();
        }
        awaitQuietly(timer);
        return stopped(serial, tally, failure);
    }

    /** Fills what a hand-made spec left out (the parsers give every field). */
    private static BatchSpec withDefaults(BatchSpec s) {
        return new BatchSpec(s.input(), s.request(), s.idField() == null ? BatchSpec.DEFAULT_ID : s.idField(),
                s.output(), s.concurrency() < 1 ? BatchSpec.DEFAULT_CONCURRENCY
                : Math.min(s.concurrency(), BatchSpec.MAX_CONCURRENCY), Math.max(0, s.retries()),
                s.timeout() == null || s.timeout().isZero() || s.timeout().isNegative() ? BatchSpec.DEFAULT_TIMEOUT
                        : s.timeout(), s.flush() == null ? BatchSpec.Flush.STANDARD : s.flush(), s.retryErrors());
    }

    private static ItemSource openSource(BatchSpec spec, InputFile in, Recovery.Recovered recovered)
            throws IOException {
        return new ItemSource(in, new LineParser(spec.request(), spec.idField()), recovered.finished());
    }

    private static String resumeNote(Recovery.Recovered r, long total) {
        long toGo = Math.max(0, total - r.results() - r.errorsKept());
        String note = "resuming: " + r.results() + " done before, " + r.errorsKept() + " errors kept, " + toGo
                + " to go";
        long dropped = r.resultsDropped();
        if (dropped > 0) {
            note += " (" + dropped + " result line" + (dropped == 1 ? "" : "s")
                    + " dropped: torn, repeated, or its file missing or damaged; redone)";
        }
        return note;
    }

    private static BatchResult stopped(BatchListener listener, Tally tally, String failure) {
        BatchFigures figures = progress(listener, tally);
        if (failure != null) {
            listener.note("stopped: " + failure + "; what was done is kept, run it again to resume");
        }
        return new BatchResult(figures, tally.all(), failure);
    }

    private static BatchFigures progress(BatchListener listener, Tally tally) {
        BatchFigures figures = tally.figures();
        Latencies delta = tally.takeSinceLast();
        try {
            listener.progress(figures, delta);
        } catch (RuntimeException e) {
            // a listener that fails must not stop the batch; what it missed, the next call carries
        }
        return figures;
    }

    /** Waits for the timer's tasks (a flush, a progress report) to end, also when interrupted (the flag is kept). */
    private static void awaitQuietly(ScheduledExecutorService timer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean interrupted = false;
        while (true) {
            try {
                timer.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Calls the listener from one thread at a time: the timer, the dispatcher and the workers all report. */
    private record SerialListener(BatchListener listener) implements BatchListener {

        @Override
        public synchronized void progress(BatchFigures figures, Latencies sinceLast) {
            listener.progress(figures, sinceLast);
        }

        @Override
        public synchronized void note(String line) {
            try {
                listener.note(line);
            } catch (RuntimeException e) {
                // a note lost is better than a batch stopped
            }
        }
    }
}

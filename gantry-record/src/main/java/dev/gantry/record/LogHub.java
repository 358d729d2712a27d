package dev.gantry.record;

import dev.gantry.store.LogRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Task output on its way into the store, and to whoever watches it live. Lines are kept in memory until a chunk
 * is written: every {@link #CHUNK_LINES} lines or {@link #CHUNK_BYTES} characters, when a task ends, and on
 * {@link #flushAll} (which a timer calls often, so a crash loses at most that much). Chunks of about a thousand
 * lines made ingestion about twice as fast as 200-line ones (bench/README.md). A watcher {@link #watch}es a task
 * and gets, atomically, how many lines the store holds, the lines not yet written, and from then on every new
 * line: reading the store up to that count, then the rest, gives each line exactly once.
 *
 * <p>A line is numbered, kept and shown to watchers under the hub's lock, the same lock {@link #end} takes: a
 * line either comes before the end (and is written with it) or after (and is written on its own), never lost
 * between the two. Writes to the store happen outside that lock, one at a time per task.
 */
public final class LogHub {

    public static final int CHUNK_LINES = 1000;
    public static final int CHUNK_BYTES = 128 * 1024;

    private final LogRepository logs;
    private final Consumer<String> warnings;
    private final Map<String, TaskLog> tasks = new HashMap<>();

    /** A hub that reports what it could not write on standard error. */
    public LogHub(LogRepository logs) {
        this(logs, message -> System.err.println("gantry: warning: " + message));
    }

    /** @param warnings told, in a sentence, what could not be written (the server's log, the terminal) */
    public LogHub(LogRepository logs, Consumer<String> warnings) {
        this.logs = logs;
        this.warnings = warnings;
    }

    /** Reports a failure to write task output or a build's record; never throws. */
    void warn(String message) {
        try {
            warnings.accept(message);
        } catch (RuntimeException e) {
            // nowhere left to report it
        }
    }

    /**
     * A line of a task's output, with its number (0-based) and when it was printed (epoch milliseconds), or the end
     * of the task's output ({@code line} null).
     */
    public record Line(long number, String text, long at) {
        public static final Line END = new Line(-1, null, 0);

        public boolean isEnd() {
            return text == null;
        }
    }

    /** What a watcher sees first: lines {@code [0, stored)} are in the store; {@code pending} follow them. */
    public record Watch(long stored, List<Line> pending, boolean ended, BlockingQueue<Line> next,
                        AutoCloseable stop) {
    }

    /**
     * A task started: its lines are numbered, shown to watchers and written in chunks until {@link #end}. Lines of
     * a task that was never started, or that has ended, are written straight to the store: they are never lost,
     * and never reopen a log that nobody would end.
     */
    public void start(String buildId, String task) {
        String key = key(buildId, task);
        synchronized (this) {
            if (tasks.containsKey(key)) {
                return;
            }
        }
        long stored = logs.lineCount(buildId, task);
        synchronized (this) {
            tasks.putIfAbsent(key, new TaskLog(buildId, task, stored));
        }
    }

    /** A line printed now. */
    public void line(String buildId, String task, String text) {
        line(buildId, task, text, System.currentTimeMillis());
    }

    /** A line printed at {@code at} (epoch milliseconds). */
    public void line(String buildId, String task, String text, long at) {
        TaskLog log;
        boolean full = false;
        synchronized (this) {
            log = tasks.get(key(buildId, task));
            if (log != null) {
                Line line = new Line(log.stored + log.pending.size(), text, at);
                log.pending.add(line);
                log.pendingChars += text.length() + 1;
                log.watchers.forEach(w -> w.offer(line));
                full = log.pending.size() >= CHUNK_LINES || log.pendingChars >= CHUNK_BYTES;
            }
        }
        if (log == null) {
            try {
                logs.append(buildId, task, text + "\n", new long[] {at});
            } catch (RuntimeException e) {
                warn("a line of task " + task + " printed outside its run was not written: " + Failures.describe(e));
            }
        } else if (full) {
            write(log);
        }
    }

    /**
     * The task ended: watchers are told, and what is pending is written. If the store refuses it, the lines stay
     * pending (a watcher that comes meanwhile still gets them) and the next {@link #flushAll} tries again.
     */
    public void end(String buildId, String task) {
        TaskLog log;
        synchronized (this) {
            log = tasks.get(key(buildId, task));
            if (log == null || log.ended) {
                return;
            }
            log.ended = true;
            log.watchers.forEach(w -> w.offer(Line.END));
            log.watchers.clear();
        }
        write(log);
    }

    /**
     * Writes every task's pending lines every {@code period}, until the returned handle is closed. A flush that
     * fails is reported and the next one tries again.
     */
    public AutoCloseable flushEvery(java.time.Duration period) {
        var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gantry-log-flush");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                flushAll();
            } catch (RuntimeException e) { // a periodic task that throws is never run again
                warn("could not write task output: " + Failures.describe(e));
            }
        }, period.toMillis(), period.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> {
            timer.shutdownNow();
            flushAll();
        };
    }

    /** Writes every task's pending lines. */
    public void flushAll() {
        List<TaskLog> all;
        synchronized (this) {
            all = new ArrayList<>(tasks.values());
        }
        all.forEach(this::write);
    }

    /**
     * How many lines the task's log holds now, those not yet written included: the number the next line gets.
     * For a task that is not running, what the store holds.
     */
    public long lineCount(String buildId, String task) {
        synchronized (this) {
            TaskLog log = tasks.get(key(buildId, task));
            if (log != null) {
                return log.stored + log.pending.size();
            }
        }
        return logs.lineCount(buildId, task);
    }

    /**
     * Starts watching a task. A task that is not running (ended, or not yet started) gives a watch that has
     * {@code ended} set, the stored count and the lines not yet written: read the store and, if the task may
     * still start, ask again.
     */
    public Watch watch(String buildId, String task) {
        synchronized (this) {
            TaskLog log = tasks.get(key(buildId, task));
            if (log != null && log.ended) {
                return new Watch(log.stored, List.copyOf(log.pending), true, new LinkedBlockingQueue<>(), () -> { });
            }
            if (log != null) {
                BlockingQueue<Line> queue = new LinkedBlockingQueue<>();
                log.watchers.add(queue);
                return new Watch(log.stored, List.copyOf(log.pending), false, queue, () -> {
                    synchronized (LogHub.this) {
                        log.watchers.remove(queue);
                    }
                });
            }
        }
        return new Watch(logs.lineCount(buildId, task), List.of(), true, new LinkedBlockingQueue<>(), () -> { });
    }

    /**
     * Writes the lines the log has pending, in order with every other write of it. Lines stay pending until the
     * store has them, so a watcher's count of stored lines is never ahead of the store and a refused write loses
     * nothing. An ended log leaves the hub once all of it is written.
     */
    private void write(TaskLog log) {
        log.writing.lock();
        try {
            while (true) {
                List<Line> chunk;
                synchronized (this) {
                    chunk = List.copyOf(log.pending);
                    if (chunk.isEmpty()) {
                        if (log.ended) {
                            tasks.remove(key(log.buildId, log.task), log);
                        }
                        return;
                    }
                }
                StringBuilder text = new StringBuilder();
                long[] times = new long[chunk.size()];
                for (int i = 0; i < times.length; i++) {
                    text.append(chunk.get(i).text()).append('\n');
                    times[i] = chunk.get(i).at();
                }
                try {
                    logs.append(log.buildId, log.task, text.toString(), times);
                } catch (RuntimeException e) {
                    warn("could not write " + chunk.size() + " lines of task " + log.task + " to the store (kept,"
                            + " tried again at the next write): " + Failures.describe(e));
                    return;
                }
                synchronized (this) {
                    log.pending.subList(0, chunk.size()).clear();
                    log.stored += chunk.size();
                    log.pendingChars -= text.length();
                    if (!log.ended) {
                        return; // lines that came meanwhile wait for their chunk to fill
                    }
                }
            }
        } finally {
            log.writing.unlock();
        }
    }

    private static String key(String buildId, String task) {
        return buildId + "\u0000" + task;
    }

    /** One running task's output; its fields are guarded by the hub, its writes serialised by {@code writing}. */
    private static final class TaskLog {
        private final String buildId;
        private final String task;
        private final List<Line> pending = new ArrayList<>();
        private final List<BlockingQueue<Line>> watchers = new ArrayList<>();
        private final ReentrantLock writing = new ReentrantLock();
        private long stored;
        private long pendingChars;
        private boolean ended;

        TaskLog(String buildId, String task, long stored) {
            this.buildId = buildId;
            this.task = task;
            this.stored = stored;
        }
    }
}

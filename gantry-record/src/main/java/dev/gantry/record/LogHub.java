package dev.gantry.record;

import dev.gantry.store.LogRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Task output on its way into the store, and to whoever watches it live. Lines are kept in memory until a chunk
 * is written: every {@link #CHUNK_LINES} lines or {@link #CHUNK_BYTES} characters, when a task ends, and on
 * {@link #flushAll} (which a timer calls often, so a crash loses at most that much). Chunks of about a thousand
 * lines made ingestion about twice as fast as 200-line ones (bench/README.md). A watcher {@link #watch}es a task
 * and gets, atomically, how many lines the store holds, the lines not yet written, and from then on every new
 * line: reading the store up to that count, then the rest, gives each line exactly once.
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

    /** A line of a task's output, with its number (0-based), or the end of the task's output ({@code line} null). */
    public record Line(long number, String text) {
        public static final Line END = new Line(-1, null);

        public boolean isEnd() {
            return text == null;
        }
    }

    /** What a watcher sees first: lines {@code [0, stored)} are in the store; {@code pending} follow them. */
    public record Watch(long stored, List<Line> pending, boolean ended, BlockingQueue<Line> next,
                        AutoCloseable stop) {
    }

    public void line(String buildId, String task, String text) {
        TaskLog log;
        synchronized (this) {
            log = tasks.computeIfAbsent(key(buildId, task),
                    k -> new TaskLog(buildId, task, logs.lineCount(buildId, task)));
        }
        synchronized (log) {
            Line line = new Line(log.stored + log.pending.size(), text);
            log.pending.add(line);
            log.pendingChars += text.length() + 1;
            log.watchers.forEach(w -> w.offer(line));
            if (log.pending.size() >= CHUNK_LINES || log.pendingChars >= CHUNK_BYTES) {
                log.write();
            }
        }
    }

    /** The task ended: what is pending is written and watchers are told. */
    public void end(String buildId, String task) {
        TaskLog log;
        synchronized (this) {
            log = tasks.remove(key(buildId, task));
        }
        if (log != null) {
            synchronized (log) {
                log.write();
                log.ended = true;
                log.watchers.forEach(w -> w.offer(Line.END));
            }
        }
    }

    /** Writes every task's pending lines every {@code period}, until the returned handle is closed. */
    public AutoCloseable flushEvery(java.time.Duration period) {
        var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gantry-log-flush");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::flushAll, period.toMillis(), period.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
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
        for (TaskLog log : all) {
            synchronized (log) {
                log.write();
            }
        }
    }

    /**
     * Starts watching a task. A task that is not running (ended, or not yet started) gives a watch that has
     * {@code ended} set and only the stored count: read the store and, if the task may still start, ask again.
     */
    public Watch watch(String buildId, String task) {
        TaskLog log;
        synchronized (this) {
            log = tasks.get(key(buildId, task));
        }
        if (log == null) {
            return new Watch(logs.lineCount(buildId, task), List.of(), true, new LinkedBlockingQueue<>(), () -> { });
        }
        synchronized (log) {
            BlockingQueue<Line> queue = new LinkedBlockingQueue<>();
            log.watchers.add(queue);
            return new Watch(log.stored, List.copyOf(log.pending), log.ended, queue, () -> log.watchers.remove(queue));
        }
    }

    private static String key(String buildId, String task) {
        return buildId + "\u0000" + task;
    }

    private final class TaskLog {
        private final String buildId;
        private final String task;
        private final List<Line> pending = new ArrayList<>();
        private final List<BlockingQueue<Line>> watchers = new CopyOnWriteArrayList<>();
        private long stored;
        private long pendingChars;
        private boolean ended;

        TaskLog(String buildId, String task, long stored) {
            this.buildId = buildId;
            this.task = task;
            this.stored = stored;
        }

        /** Called holding this log's lock. */
        void write() {
            if (pending.isEmpty()) {
                return;
            }
            StringBuilder text = new StringBuilder();
            pending.forEach(l -> text.append(l.text()).append('\n'));
            logs.append(buildId, task, text.toString());
            stored += pending.size();
            pending.clear();
            pendingChars = 0;
        }
    }
}

package dev.gantry.store;

import java.time.Instant;
import java.util.List;

/** Task logs, appended in chunks of whole lines as they are produced and read back by chunk or by line. */
public interface LogRepository {

    /** A line of a log and when it was printed (null when that is not known). */
    record Line(String text, Instant at) {
    }

    /** Appends a chunk of whole lines (each ending in a newline) and returns its sequence number (0, 1, ...). */
    default int append(String buildId, String task, String content) {
        return append(buildId, task, content, null);
    }

    /**
     * Appends a chunk of whole lines with when each was printed ({@code times}: epoch milliseconds, one per line;
     * null when not known).
     */
    int append(String buildId, String task, String content, long[] times);

    /** Chunks {@code from} (inclusive) onwards, at most {@code limit}. */
    List<String> read(String buildId, String task, int from, int limit);

    /** Lines {@code from} (0-based, inclusive) onwards, at most {@code limit}, without their newlines. */
    List<String> lines(String buildId, String task, long from, int limit);

    /** The same lines with when each was printed. */
    List<Line> timedLines(String buildId, String task, long from, int limit);

    /** How many lines the task's stored log holds. */
    long lineCount(String buildId, String task);

    /** Removes every task's log of the build (retention); returns how many chunks went. */
    int delete(String buildId);
}

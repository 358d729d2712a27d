package dev.gantry.store;

import java.util.List;

/** Task logs, appended in chunks of whole lines as they are produced and read back by chunk or by line. */
public interface LogRepository {

    /** Appends a chunk of whole lines (each ending in a newline) and returns its sequence number (0, 1, ...). */
    int append(String buildId, String task, String content);

    /** Chunks {@code from} (inclusive) onwards, at most {@code limit}. */
    List<String> read(String buildId, String task, int from, int limit);

    /** Lines {@code from} (0-based, inclusive) onwards, at most {@code limit}, without their newlines. */
    List<String> lines(String buildId, String task, long from, int limit);

    /** How many lines the task's stored log holds. */
    long lineCount(String buildId, String task);

    /** Removes every task's log of the build (retention); returns how many chunks went. */
    int delete(String buildId);
}

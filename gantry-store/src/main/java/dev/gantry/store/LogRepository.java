package dev.gantry.store;

import java.util.List;

/** Task logs, appended in chunks as they are produced and read back by range. */
public interface LogRepository {

    /** Appends a chunk and returns its sequence number (0, 1, ...). */
    int append(String buildId, String task, String content);

    /** Chunks {@code from} (inclusive) onwards, at most {@code limit}. */
    List<String> read(String buildId, String task, int from, int limit);
}

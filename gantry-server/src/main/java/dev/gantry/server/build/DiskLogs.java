package dev.gantry.server.build;

import dev.gantry.engine.record.BuildRecorder;
import dev.gantry.record.LogHub;
import dev.gantry.store.LogRepository;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Completes a task's stored log from its log file on disk. The engine writes every line to the file as it is
 * printed, while the store gets them in chunks (and a live viewer sees them in between): after a crash the file
 * holds lines the store lacks. The file also has the engine's own lines between steps ({@link
 * BuildRecorder#isMarker}); the store's lines must be found in it in order, and the lines after them, less such
 * markers, are appended. A last line the crash cut short (no newline) is left out. If the two disagree, nothing
 * is appended: the store is not filled with lines of some other run.
 */
final class DiskLogs {

    private static final int BATCH = 1000;

    private DiskLogs() {
    }

    /** What completing a log did: lines appended, or why nothing was. */
    record Completion(int appended, String mismatch) {
    }

    static Completion complete(LogRepository logs, Path file, String buildId, String task) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new Completion(0, null);
        }
        long stored = logs.lineCount(buildId, task);
        long matched = 0;
        List<String> batch = List.of();
        int inBatch = 0;
        List<String> tail = new ArrayList<>();
        int appended = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c != '\n') {
                    line.append((char) c);
                    continue;
                }
                String text = line.toString();
                line.setLength(0);
                if (matched < stored) {
                    if (inBatch == batch.size()) {
                        batch = logs.lines(buildId, task, matched, BATCH);
                        inBatch = 0;
                    }
                    if (inBatch < batch.size() && batch.get(inBatch).equals(text)) {
                        inBatch++;
                        matched++;
                    } else if (!BuildRecorder.isMarker(text)) {
                        return new Completion(0, "line " + (matched + 1) + " of the stored log is not in " + file);
                    }
                } else if (!BuildRecorder.isMarker(text)) {
                    tail.add(text);
                    if (tail.size() == LogHub.CHUNK_LINES) {
                        appended += append(logs, buildId, task, tail);
                    }
                }
            }
        }
        if (matched < stored) {
            return new Completion(0, file + " holds fewer lines than the stored log");
        }
        appended += append(logs, buildId, task, tail);
        return new Completion(appended, null);
    }

    private static int append(LogRepository logs, String buildId, String task, List<String> lines) {
        if (lines.isEmpty()) {
            return 0;
        }
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l).append('\n'));
        logs.append(buildId, task, text.toString());
        int n = lines.size();
        lines.clear();
        return n;
    }
}

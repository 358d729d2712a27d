package dev.gantry.engine.record;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gantry.core.junit.TestCase;
import dev.gantry.core.junit.Timings;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * A job's timings history as a JSON file. Shards of one job add their results at the same time, so each update
 * is read-modify-write under a lock (a JVM-wide one for shards in this process, a file lock for other processes)
 * and written atomically.
 */
public final class TimingsStore {

    /** Reads {@code NaN} and {@code Infinity} too (other tools write them), so that they can be dropped, not fail. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final Object IN_PROCESS = new Object();

    private TimingsStore() {
    }

    /**
     * The history in {@code file}, empty when there is none yet. Values that are not a valid number of seconds are
     * dropped ({@link Timings#ignored()} counts them), and the next {@link #record} writes the file without them.
     */
    public static Timings read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new Timings();
        }
        Map<Timings.Type, Map<String, List<Double>>> stored = JSON.readValue(file.toFile(),
                new TypeReference<Map<Timings.Type, Map<String, List<Double>>>>() { });
        return Timings.of(stored);
    }

    /** Adds one run's results to the history in {@code file}. */
    public static void record(Path file, List<TestCase> run) throws IOException {
        Files.createDirectories(file.getParent());
        synchronized (IN_PROCESS) {
            try (FileChannel ch = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = ch.lock()) {
                Timings t = read(file);
                t.record(run);
                AtomicFiles.write(file, JSON.writeValueAsBytes(t.history()));
            }
        }
    }
}

package dev.gantry.engine.batch.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.batch.BatchSpec;
import dev.gantry.engine.batch.input.Fingerprints;
import dev.gantry.engine.batch.input.ItemIds;
import dev.gantry.engine.batch.input.LineError;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a previous run of the same batch finished, read back from its journal before a rerun: the ids to skip. A
 * result line counts only when it parses, its id was not counted already (ignoring case, as {@link Fingerprints}
 * compares ids), and its file (for a file answer) is there with the recorded size and SHA-256; both journal files
 * are rewritten atomically with only the lines that count, so a torn last line, a duplicate, or a result whose file
 * was lost or damaged is gone and its item runs again. Errors of the input's own lines are dropped (rereading the
 * input finds them again), as are item errors when {@code --retry-errors} asks for another try and those whose id
 * has a result.
 */
public final class Recovery {

    /**
     * @param existed whether a journal was there (the run resumes)
     * @param finished the ids of the counted results and kept errors
     */
    public record Recovered(boolean existed, long results, long errorsKept, long resultsDropped,
                            long errorsDropped, Fingerprints finished) {
    }

    private Recovery() {
    }

    /** Reads, checks and rewrites {@code dir}'s journal; {@code dir} exists. */
    public static Recovered recover(Path dir, boolean retryErrors) throws IOException {
        Fingerprints finished = new Fingerprints();
        Path results = dir.resolve(BatchSpec.RESULTS);
        Path errors = dir.resolve(BatchSpec.ERRORS);
        boolean existed = Files.exists(results) || Files.exists(errors);
        long[] r = rewrite(results, node -> countsAsResult(dir, node, finished));
        long[] e = rewrite(errors, node -> keepsError(node, retryErrors, finished));
        return new Recovered(existed, r[0], e[0], r[1], e[1], finished);
    }

    private interface Check {
        boolean keep(JsonNode line) throws IOException;
    }

    /** Returns {kept, dropped}. */
    private static long[] rewrite(Path file, Check check) throws IOException {
        if (!Files.exists(file)) {
            return new long[] {0, 0};
        }
        Path temporary = file.resolveSibling("." + file.getFileName() + ".rewrite");
        Files.deleteIfExists(temporary); // a leftover, or a planted link: removed, never written through
        long kept = 0;
        long dropped = 0;
        try (BufferedReader in = lenientReader(file);
             FileChannel ch = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Writer out = new BufferedWriter(Channels.newWriter(ch, StandardCharsets.UTF_8), 1 << 16);
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = parse(line);
                if (node != null && check.keep(node)) {
                    out.write(line.strip());
                    out.write('\n');
                    kept++;
                } else {
                    dropped++;
                }
            }
            out.flush();
            ch.force(true);
        } catch (IOException ex) {
            Files.deleteIfExists(temporary);
            throw ex;
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException ex) {
            Files.deleteIfExists(temporary);
            throw new IOException("cannot rename " + temporary + " to " + file + " atomically: " + ex.getMessage(), ex);
        }
        OutputDirectory.syncDirectory(file.getParent());
        return new long[] {kept, dropped};
    }

    /**
     * Reads the journal with bytes that are not UTF-8 replaced (U+FFFD): a journal written before its lines were ASCII
     * may end in a line torn inside a character, which must be one unparsable line dropped, not a rerun refused.
     */
    private static BufferedReader lenientReader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode n = JournalLines.JSON.readTree(line);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean countsAsResult(Path dir, JsonNode n, Fingerprints finished) throws IOException {
        String id = usableId(n);
        if (id == null || finished.contains(id)) {
            return false;
        }
        JsonNode output = n.get("output");
        if (output != null && !output.isNull() && !fileIntact(dir, id, n)) {
            return false;
        }
        finished.add(id);
        return true;
    }

    private static boolean fileIntact(Path dir, String id, JsonNode n) throws IOException {
        String output = n.path("output").asText("");
        int dot = output.lastIndexOf('.');
        if (dot < 0 || !output.substring(0, dot).equals(id)
                || !ContentTypes.ALL_EXTENSIONS.contains(output.substring(dot + 1))) {
            return false;
        }
        Path file = dir.resolve(output);
        // a link is never an answer (the batch writes none): the item is redone and the rename replaces the link
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != n.path("bytes").asLong(-1)) {
            return false;
        }
        return sha256(file).equals(n.path("sha256").asText(""));
    }

    private static boolean keepsError(JsonNode n, boolean retryErrors, Fingerprints finished) {
        if (retryErrors || LineError.KINDS.contains(n.path("kind").asText(""))) {
            return false;
        }
        String id = usableId(n);
        if (id == null || finished.contains(id)) {
            return false;
        }
        finished.add(id);
        return true;
    }

    private static String usableId(JsonNode n) {
        JsonNode id = n.get("id");
        return id != null && id.isTextual() && ItemIds.usable(id.asText()) ? id.asText() : null;
    }

    /** The file's SHA-256, in lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest d = digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}

package dev.gantry.engine.batch.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The batch's JSONL input, read as a stream: one pass of bytes to count its items (the progress line's total), then
 * line by line. Never loaded whole, so a million lines take no more memory than ten.
 */
public final class InputFile {

    private final Path path;

    public InputFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The number of non-blank lines: each is one item (or one error). */
    public long countItems() throws IOException {
        long count = 0;
        boolean content = false;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        if (content) {
                            count++;
                        }
                        content = false;
                    } else if (b != ' ' && b != '\t' && b != '\r' && b != '\f') {
                        content = true;
                    }
                }
            }
        }
        return content ? count + 1 : count;
    }

    /** Opens the lines; a byte that is not UTF-8 becomes U+FFFD rather than stopping the batch. */
    public Lines open() throws IOException {
        InputStream in = Files.newInputStream(path);
        return new Lines(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16));
    }

    /** The input's lines with their numbers (1-based, blank lines counted). */
    public static final class Lines implements AutoCloseable {

        private final BufferedReader reader;
        private long number;

        private Lines(BufferedReader reader) {
            this.reader = reader;
        }

        /** The next line, or null at the end. */
        public String next() throws IOException {
            String line = reader.readLine();
            if (line != null) {
                number++;
            }
            return line;
        }

        /** The number of the line {@link #next()} returned last. */
        public long number() {
            return number;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}

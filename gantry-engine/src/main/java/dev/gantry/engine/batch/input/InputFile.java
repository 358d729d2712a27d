package dev.gantry.engine.batch.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The batch's JSONL input, read as a stream: one pass to count its items (the progress line's total), then line by
 * line. Never loaded whole, so a million lines take no more memory than ten, and no line is held beyond
 * {@link #MAX_LINE_BYTES}. Both passes split lines the same way, on bytes: a line ends at {@code '\n'} (a {@code '\r'}
 * before it is dropped; a lone {@code '\r'} is part of the line), and a UTF-8 byte-order mark at the start is
 * skipped, so the line numbers in {@code errors.jsonl} are those an editor shows and the total agrees with them.
 */
public final class InputFile {

    /** The longest line read: a longer one is an error of its own, skipped without being held. */
    public static final int MAX_LINE_BYTES = 16 << 20;

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
        try (Lines lines = open()) {
            while (lines.advance()) {
                if (!lines.blank()) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Opens the lines. */
    public Lines open() throws IOException {
        return new Lines(Files.newInputStream(path));
    }

    /** The input's lines with their numbers (1-based, blank lines counted). */
    public static final class Lines implements AutoCloseable {

        private static final int SMALL = 1 << 12;

        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int limit;
        private boolean started;
        private byte[] line = new byte[SMALL];
        private int length;
        private boolean tooLong;
        private long number;

        private Lines(InputStream in) {
            this.in = in;
        }

        /** Moves to the next line; false at the end of the input. */
        public boolean advance() throws IOException {
            if (line.length > (1 << 20)) {
                line = new byte[SMALL]; // a long line's buffer is not kept for the short ones after it
            }
            length = 0;
            tooLong = false;
            boolean any = false;
            while (true) {
                if (pos == limit && !fill()) {
                    if (!any) {
                        return false;
                    }
                    break;
                }
                any = true;
                int end = pos;
                while (end < limit && buf[end] != '\n') {
                    end++;
                }
                append(pos, end - pos);
                if (end < limit) {
                    pos = end + 1;
                    break;
                }
                pos = limit;
            }
            if (!tooLong && length > 0 && line[length - 1] == '\r') {
                length--;
            }
            number++;
            return true;
        }

        /** The next line's text, or null at the end; a byte that is not UTF-8 becomes U+FFFD. */
        public String next() throws IOException {
            return advance() ? text() : null;
        }

        /** The current line's text (empty for a line over {@link #MAX_LINE_BYTES}: see {@link #tooLong()}). */
        public String text() {
            return tooLong ? "" : new String(line, 0, length, StandardCharsets.UTF_8);
        }

        /** Whether the current line is longer than {@link #MAX_LINE_BYTES}: it was skipped, not read. */
        public boolean tooLong() {
            return tooLong;
        }

        /** Whether the current line holds nothing but spaces, tabs and the like (a line too long never is blank). */
        public boolean blank() {
            if (tooLong) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                byte b = line[i];
                if (b != ' ' && b != '\t' && b != '\r' && b != '\f' && b != 0x0B) {
                    return false;
                }
            }
            return true;
        }

        /** The number of the current line. */
        public long number() {
            return number;
        }

        private boolean fill() throws IOException {
            int n = in.read(buf);
            while (n == 0) {
                n = in.read(buf);
            }
            if (n < 0) {
                pos = limit = 0;
                return false;
            }
            pos = 0;
            limit = n;
            if (!started) {
                started = true;
                skipBom();
            }
            return true;
        }

        /** Drops a UTF-8 byte-order mark at the very start (its three bytes may come in more than one read). */
        private void skipBom() throws IOException {
            while (limit < 3) {
                int n = in.read(buf, limit, buf.length - limit);
                if (n < 0) {
                    break;
                }
                limit += n;
            }
            if (limit >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
                pos = 3;
            }
        }

        private void append(int from, int n) {
            if (tooLong || n == 0) {
                return;
            }
            if ((long) length + n > MAX_LINE_BYTES) {
                tooLong = true;
                return;
            }
            if (length + n > line.length) {
                byte[] bigger = new byte[(int) Math.min(MAX_LINE_BYTES, Math.max((long) line.length * 2, length + n))];
                System.arraycopy(line, 0, bigger, 0, length);
                line = bigger;
            }
            System.arraycopy(buf, from, line, length, n);
            length += n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

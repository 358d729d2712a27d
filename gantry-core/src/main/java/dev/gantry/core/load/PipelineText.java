package dev.gantry.core.load;

import dev.gantry.core.pipeline.Location;
import dev.gantry.core.pipeline.Problems;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The text of a pipeline file, read strictly: a file over {@link PipelineLoader#MAX_BYTES} is refused before any
 * parsing (a 10 MB file once took 41 s and 880 MB to reject), and bytes that are not UTF-8 are an error at their
 * line and column rather than being silently replaced by U+FFFD, which would change what a step runs.
 */
final class PipelineText {

    static final String PIPELINE = "a pipeline file";

    private PipelineText() {
    }

    static Optional<String> decode(String file, byte[] content, Problems problems) {
        return decode(file, content, problems, PIPELINE);
    }

    /** @param what the kind of file, for the size message ({@code "a pipeline file"}, {@code "a request file"}) */
    static Optional<String> decode(String file, byte[] content, Problems problems, String what) {
        if (content.length > PipelineLoader.MAX_BYTES) {
            problems.add(Location.unknown(file), "", tooLarge(content.length, what));
            return Optional.empty();
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(content.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        if (result.isError()) {
            int offset = in.position();
            problems.add(locate(file, out), "", String.format(java.util.Locale.ROOT, "invalid UTF-8 (byte 0x%02X at offset %d): save the "
                    + "file as UTF-8", content[offset] & 0xff, offset));
            return Optional.empty();
        }
        return Optional.of(out.toString());
    }

    /** The message for a file of {@code bytes} bytes, over the limit; shared with {@link PipelineFiles#read}. */
    static String tooLarge(long bytes) {
        return tooLarge(bytes, PIPELINE);
    }

    static String tooLarge(long bytes, String what) {
        return "the file is " + bytes + " bytes; " + what + " may be at most 1 MiB ("
                + PipelineLoader.MAX_BYTES + " bytes)";
    }

    /** Where the text decoded so far ends, counted as YAML counts: lines from 1, columns in code points from 1. */
    private static Location locate(String file, CharSequence before) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < before.length(); i++) {
            char c = before.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 == before.length() || before.charAt(i + 1) != '\n')) {
                line++;
                column = 1;
            } else if (c != '\r' && !Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return new Location(file, line, column);
    }
}

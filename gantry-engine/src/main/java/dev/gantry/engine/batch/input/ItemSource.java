package dev.gantry.engine.batch.input;

import java.io.IOException;

/**
 * The items still to run, in input order: skips blank lines, reports each wrong line to the sink, counts and passes
 * over ids a previous run finished, and keeps the first of repeated ids (compared ignoring case: {@link Fingerprints}).
 * Holds only the fingerprints of ids seen.
 */
public final class ItemSource implements AutoCloseable {

    /** Where the lines that do not become items go. */
    public interface Sink {

        void lineError(LineError error);

        /** A line whose id a previous run finished (its result or its kept error). */
        void skipped(String id);
    }

    private final InputFile.Lines lines;
    private final LineParser parser;
    private final Fingerprints finished;
    private Sink sink;
    private final Fingerprints seen = new Fingerprints();

    /** @param finished the ids a previous run finished; read only */
    public ItemSource(InputFile input, LineParser parser, Fingerprints finished) throws IOException {
        this.lines = input.open();
        this.parser = parser;
        this.finished = finished;
    }

    /** Where wrong lines and skipped ones are told; set before the first {@link #next()}. */
    public void sink(Sink sink) {
        this.sink = sink;
    }

    /** The next item to run, or null at the end of the input. */
    public Item next() throws IOException {
        while (lines.advance()) {
            if (lines.blank()) {
                continue;
            }
            long number = lines.number();
            if (lines.tooLong()) {
                sink.lineError(new LineError(number, null, LineError.INVALID_JSON,
                        "a line longer than " + (InputFile.MAX_LINE_BYTES >> 20) + " MiB"));
                continue;
            }
            try {
                LineParser.Line line = parser.read(number, lines.text());
                if (!seen.add(line.id())) {
                    sink.lineError(new LineError(number, null, LineError.DUPLICATE_ID, "id "
                            + ItemIds.quote(line.id()) + " repeats an earlier line's, ignoring case (ids name files,"
                            + " and 'A1' and 'a1' name one file on macOS and Windows); the first one is kept"));
                    continue;
                }
                if (finished.contains(line.id())) {
                    sink.skipped(line.id());
                    continue;
                }
                return parser.request(line);
            } catch (LineParser.LineException e) {
                sink.lineError(e.error());
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}

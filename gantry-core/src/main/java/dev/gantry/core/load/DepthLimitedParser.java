package dev.gantry.core.load;

import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * A YAML parser that stops at a nesting depth. SnakeYAML Engine 2.7 has no such setting and its composer recurses
 * once per level, so a few kilobytes of {@code [[[[...} overflowed the stack; counting the start and end events
 * it hands the composer bounds that recursion.
 */
final class DepthLimitedParser implements Parser {

    /** Thrown at the first collection deeper than the limit, with where it starts. */
    static final class TooDeep extends RuntimeException {

        private final transient Mark mark;

        TooDeep(Mark mark) {
            super(null, null, false, false);
            this.mark = mark;
        }

        Mark mark() {
            return mark;
        }
    }

    private final Parser parser;
    private final int maxDepth;
    private int depth;

    DepthLimitedParser(Parser parser, int maxDepth) {
        this.parser = parser;
        this.maxDepth = maxDepth;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
        return parser.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
        return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return parser.hasNext();
    }

    @Override
    public Event next() {
        Event event = parser.next();
        switch (event.getEventId()) {
            case MappingStart, SequenceStart -> {
                if (++depth > maxDepth) {
                    throw new TooDeep(event.getStartMark().orElse(null));
                }
            }
            case MappingEnd, SequenceEnd -> depth--;
            default -> {
            }
        }
        return event;
    }
}

package dev.gantry.server;

import java.io.PrintStream;
import java.time.Clock;
import java.time.format.DateTimeFormatter;

/** What the server tells its operator: one timestamped line per thing that happened (builds, triggers, refusals). */
public final class ServerLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final PrintStream out;
    private final Clock clock;

    public ServerLog(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    public synchronized void info(String message) {
        out.println(TIME.format(clock.instant()) + " " + message);
        out.flush();
    }

    public synchronized void warn(String message) {
        out.println(TIME.format(clock.instant()) + " WARN " + message);
        out.flush();
    }
}

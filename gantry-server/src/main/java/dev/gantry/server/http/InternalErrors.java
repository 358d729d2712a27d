package dev.gantry.server.http;

import dev.gantry.record.Failures;
import java.util.UUID;

/**
 * What an unexpected failure of a request may say, and where. The client gets a generic message with an id; the
 * server's log gets the id and what failed. Database errors are described by their SQL state and statement only:
 * their messages quote the values bound to the statement, and those can be secrets.
 */
public final class InternalErrors {

    private InternalErrors() {
    }

    /** A short id that ties a client's 500 to the server's log line. */
    public static String newId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** The failure for the server's log: never a bound value, never a database's own message. */
    public static String describe(Throwable e) {
        return Failures.describe(e);
    }
}

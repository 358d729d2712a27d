package dev.gantry.server.http;

import java.sql.SQLException;
import java.util.UUID;
import org.jdbi.v3.core.statement.StatementException;

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
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String statement = e instanceof StatementException s && s.getStatementContext() != null
                        ? s.getStatementContext().getRawSql() : null;
                return "database error (SQL state " + sql.getSQLState() + ", code " + sql.getErrorCode() + ")"
                        + (statement != null ? " in: " + statement.replaceAll("\\s+", " ") : "");
            }
            if (t instanceof StatementException) {
                continue;
            }
        }
        if (e instanceof StatementException) {
            return "database error";
        }
        return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    }
}

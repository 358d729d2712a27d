package dev.gantry.record;

import java.sql.SQLException;
import org.jdbi.v3.core.statement.StatementException;

/**
 * Says what went wrong in words fit for an operator's log or a build's reason. A database driver's message
 * carries the statement's bound values (task output, webhook secrets, anything): a database error is told by its
 * SQL state, code and raw statement only, never by its own text.
 */
public final class Failures {

    private Failures() {
    }

    /** The failure, one line: never a bound value, never a database's own message. */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String statement = e instanceof StatementException s && s.getStatementContext() != null
                        ? s.getStatementContext().getRawSql() : null;
                return "database error (SQL state " + sql.getSQLState() + ", code " + sql.getErrorCode() + ")"
                        + (statement != null ? " in: " + statement.replaceAll("\\s+", " ") : "");
            }
        }
        if (e instanceof StatementException) {
            return "database error";
        }
        String message = e.getMessage() == null ? null : e.getMessage().lines().findFirst().orElse("");
        return e.getClass().getSimpleName() + (message != null ? ": " + message : "");
    }
}

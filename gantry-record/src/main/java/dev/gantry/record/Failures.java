package dev.gantry.record;

import java.sql.SQLException;

/**
 * Says what went wrong writing to the store in words fit for an operator's log. A database driver's message
 * carries the statement and its bound values, here task output that may hold anything: only the SQL state of a
 * database error is told, never its text.
 */
final class Failures {

    private Failures() {
    }

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return "database error" + (sql.getSQLState() == null ? "" : " (SQL state " + sql.getSQLState() + ")");
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName()
                : message.lines().findFirst().orElse(message);
    }
}

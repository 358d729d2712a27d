package dev.gantry.store;

import java.sql.SQLException;

/** What a failed statement means, told apart the same way on H2 and PostgreSQL (both use SQLSTATE codes). */
final class SqlErrors {

    private SqlErrors() {
    }

    /** Whether a unique or primary key refused the row: another writer stored the same key first. */
    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}

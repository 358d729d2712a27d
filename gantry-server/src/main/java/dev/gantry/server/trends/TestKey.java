package dev.gantry.server.trends;

import dev.gantry.store.ResultRows;

/**
 * A test across builds: where it runs (its task without the shard index, since test splitting moves tests between
 * shards, but with the matrix cell, since a cell is a different environment), its class and its name.
 */
public record TestKey(String slot, String className, String name) {

    public static TestKey of(ResultRows.TestRow t) {
        return new TestKey(slot(t.task()), t.className() == null ? "" : t.className(), t.name());
    }

    /** {@code unit[py=3.12][2]} → {@code unit[py=3.12]}; {@code unit[3]} → {@code unit}. */
    static String slot(String task) {
        return task.replaceFirst("\\[\\d+]$", "");
    }

    /** As people read it: {@code a.B.speaks}. */
    public String display() {
        return className.isEmpty() ? name : className + "." + name;
    }

    public static boolean failed(ResultRows.TestRow t) {
        return t.status().equals("FAILED") || t.status().equals("ERROR");
    }

    public static boolean passed(ResultRows.TestRow t) {
        return t.status().equals("PASSED");
    }
}

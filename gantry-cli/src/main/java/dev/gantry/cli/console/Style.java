package dev.gantry.cli.console;

/** ANSI colours when writing to a terminal, plain text otherwise. */
public final class Style {

    private static final String[] TASK_COLOURS = {"36", "35", "34", "33", "32", "96", "95", "94"};

    private final boolean colour;

    public Style(boolean colour) {
        this.colour = colour;
    }

    public boolean colour() {
        return colour;
    }

    public String green(String s) {
        return wrap("32", s);
    }

    public String red(String s) {
        return wrap("31", s);
    }

    public String yellow(String s) {
        return wrap("33", s);
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    public String bold(String s) {
        return wrap("1", s);
    }

    /** A stable colour per task, so interleaved lines can be told apart at a glance. */
    public String task(int index, String s) {
        return wrap(TASK_COLOURS[index % TASK_COLOURS.length], s);
    }

    private String wrap(String code, String s) {
        return colour ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}

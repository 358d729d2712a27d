package dev.gantry.engine.run;

/** Turns a task name such as {@code test[os=linux][1]} into a form safe for file names and markers. */
public final class TaskKeys {

    private TaskKeys() {
    }

    public static String key(String taskName) {
        StringBuilder out = new StringBuilder();
        for (char c : taskName.toCharArray()) {
            if (c == '[') {
                out.append('-');
            } else if (c == ']') {
                continue;
            } else if (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '=' || c == ',') {
                out.append(c);
            } else {
                out.append('_');
            }
        }
        return out.toString();
    }
}

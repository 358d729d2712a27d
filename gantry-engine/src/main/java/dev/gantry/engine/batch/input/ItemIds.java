package dev.gantry.engine.batch.input;

import java.util.regex.Pattern;

/**
 * What an item id may be. An id names the item's output file {@code <id>.<ext>} in the output directory, so only
 * plain file-name characters are allowed and no leading dot: a hostile id such as {@code ../../x} can never name a
 * path outside the directory, nor a hidden file such as the batch's own {@code .partial}.
 */
public final class ItemIds {

    public static final int MAX_LENGTH = 200;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    private ItemIds() {
    }

    /** Why {@code id} is not usable, or null when it is. */
    public static String problem(String id) {
        if (id.isEmpty()) {
            return "the id is empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "the id is longer than " + MAX_LENGTH + " characters";
        }
        if (!ALLOWED.matcher(id).matches()) {
            return "the id may hold only letters, digits, '.', '_' and '-' (it names the output file)";
        }
        if (id.startsWith(".")) {
            return "the id may not start with '.'";
        }
        return null;
    }

    public static boolean usable(String id) {
        return problem(id) == null;
    }

    /** An id as it may be quoted in a message: at most 60 characters, control characters escaped. */
    public static String quote(String id) {
        String s = id.length() > 60 ? id.substring(0, 60) + "..." : id;
        StringBuilder out = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append('\'').toString();
    }
}

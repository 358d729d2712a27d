package dev.gantry.server.live;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line of terminal output as HTML: text escaped, SGR colour and bold codes as {@code <span class="a-...">},
 * every other escape sequence dropped.
 */
public final class Ansi {

    private static final Pattern ESCAPE = Pattern.compile("\u001B\\[([0-9;]*)([A-Za-z])");
    private static final String[] COLOURS = {"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"};

    private Ansi() {
    }

    public static String toHtml(String line) {
        StringBuilder out = new StringBuilder(line.length() + 16);
        Matcher m = ESCAPE.matcher(line);
        int at = 0;
        String fg = null;
        boolean bold = false;
        boolean open = false;
        while (m.find()) {
            escape(line, at, m.start(), out);
            at = m.end();
            if (!m.group(2).equals("m")) {
                continue;
            }
            for (String code : (m.group(1).isEmpty() ? "0" : m.group(1)).split(";")) {
                int c = code.isEmpty() ? 0 : parse(code);
                if (c == 0) {
                    fg = null;
                    bold = false;
                } else if (c == 1) {
                    bold = true;
                } else if (c == 22) {
                    bold = false;
                } else if (c >= 30 && c <= 37) {
                    fg = COLOURS[c - 30];
                } else if (c >= 90 && c <= 97) {
                    fg = "bright-" + COLOURS[c - 90];
                } else if (c == 39) {
                    fg = null;
                }
            }
            if (open) {
                out.append("</span>");
                open = false;
            }
            if (fg != null || bold) {
                out.append("<span class=\"").append(fg != null ? "a-" + fg : "").append(bold ? (fg != null ? " " : "")
                        + "a-bold" : "").append("\">");
                open = true;
            }
        }
        escape(line, at, line.length(), out);
        if (open) {
            out.append("</span>");
        }
        return out.toString();
    }

    private static int parse(String code) {
        try {
            return Integer.parseInt(code);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void escape(String s, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
    }
}

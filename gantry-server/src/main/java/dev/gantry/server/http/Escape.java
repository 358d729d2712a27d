package dev.gantry.server.http;

/** Text made safe to put into HTML, as element content or a quoted attribute value. */
public final class Escape {

    private Escape() {
    }

    public static String html(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}

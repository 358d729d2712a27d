package dev.gantry.core.plan;

import java.util.regex.Pattern;

/** Branch and tag globs: {@code *} matches within a path segment, {@code **} across segments, {@code ?} one character. */
public final class Glob {

    private final Pattern pattern;

    public Glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        this.pattern = Pattern.compile(re.toString());
    }

    public boolean matches(String text) {
        return text != null && pattern.matcher(text).matches();
    }
}

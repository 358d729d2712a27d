package dev.gantry.core.glob;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The one glob dialect of Gantry, for branch and tag filters as for files ({@code gantry tests glob},
 * {@code test_results}, {@code artifacts}, {@code persist}, {@code audio_check}, cache {@code checksum}), with
 * bash globstar and {@code circleci tests glob} semantics: {@code *} and {@code ?} stay within a path segment,
 * {@code [abc]}, {@code [a-z]} and {@code [!a]} match one character of a segment, {@code {a,b}} either
 * alternative, {@code \} escapes the next character, and {@code **} as a whole segment matches zero or more
 * directories, so {@code tests/**}{@code /*.py} includes {@code tests/a.py} and {@code **}{@code /test_*.py}
 * includes {@code test_top.py}. A trailing {@code /**} matches everything below; {@code **} inside a segment
 * matches across segments. A malformed glob ({@code tests/[a.py}) is refused, never matched literally.
 */
public final class Glob {

    /** A glob that cannot be compiled; the message names it and says what is wrong. */
    public static final class InvalidGlobException extends IllegalArgumentException {
        public InvalidGlobException(String glob, String problem) {
            super("invalid glob '" + glob + "': " + problem);
        }
    }

    private final String text;
    private final Pattern pattern;

    /** @throws InvalidGlobException when the glob is malformed */
    public Glob(String glob) {
        this.text = glob;
        try {
            this.pattern = Pattern.compile(new Translator(glob).regex());
        } catch (PatternSyntaxException e) {
            throw new InvalidGlobException(glob, e.getDescription().toLowerCase(Locale.ROOT)); // e.g. [z-a]
        }
    }

    /** What is wrong with a glob, for validators; empty when it compiles. */
    public static Optional<String> problem(String glob) {
        try {
            new Glob(glob);
            return Optional.empty();
        } catch (InvalidGlobException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Whether the text has any wildcard, so that it names files by pattern rather than by path. */
    public static boolean isPattern(String text) {
        return text.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{' || c == '\\');
    }

    public boolean matches(String text) {
        return text != null && pattern.matcher(text).matches();
    }

    @Override
    public String toString() {
        return text;
    }

    /** Glob to regular expression, one character at a time. */
    private static final class Translator {

        private final String glob;
        private final StringBuilder re = new StringBuilder();
        private int i;
        private boolean inBraces;

        Translator(String glob) {
            this.glob = glob;
        }

        String regex() {
            while (i < glob.length()) {
                char c = glob.charAt(i);
                switch (c) {
                    case '*' -> star();
                    case '?' -> {
                        re.append("[^/]");
                        i++;
                    }
                    case '[' -> characterClass();
                    case '{' -> {
                        if (inBraces) {
                            throw new InvalidGlobException(glob, "'{' at position " + (i + 1)
                                    + " is inside another '{...}'; alternatives cannot nest");
                        }
                        inBraces = true;
                        re.append("(?:");
                        i++;
                    }
                    case '}' -> {
                        re.append(inBraces ? ")" : "\\}");
                        inBraces = false;
                        i++;
                    }
                    case ',' -> {
                        re.append(inBraces ? "|" : ",");
                        i++;
                    }
                    case '\\' -> {
                        if (i + 1 >= glob.length()) {
                            throw new InvalidGlobException(glob, "it ends with '\\', which escapes nothing");
                        }
                        re.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
                        i += 2;
                    }
                    default -> {
                        re.append(Pattern.quote(String.valueOf(c)));
                        i++;
                    }
                }
            }
            if (inBraces) {
                throw new InvalidGlobException(glob, "a '{' is never closed with '}'");
            }
            return re.toString();
        }

        private void star() {
            boolean twin = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
            if (!twin) {
                re.append("[^/]*");
                i++;
                return;
            }
            boolean segmentStart = i == 0 || glob.charAt(i - 1) == '/';
            int after = i + 2;
            boolean slashAfter = after < glob.length() && glob.charAt(after) == '/';
            if (segmentStart && slashAfter) {
                re.append("(?:[^/]*/)*"); // zero or more whole directories
                i = after + 1;
            } else {
                re.append(".*");
                i = after;
                while (i < glob.length() && glob.charAt(i) == '*') {
                    i++;
                }
            }
        }

        private void characterClass() {
            int start = i;
            i++;
            StringBuilder cls = new StringBuilder("[");
            if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
                cls.append('^');
                i++;
            }
            int first = i;
            while (i < glob.length() && (glob.charAt(i) != ']' || i == first)) {
                char c = glob.charAt(i);
                if (c == '/') {
                    throw new InvalidGlobException(glob, "'[' at position " + (start + 1)
                            + " holds a '/'; a character class matches one character of a file name");
                }
                if (c == '-' && i != first && i + 1 < glob.length() && glob.charAt(i + 1) != ']') {
                    cls.append('-');
                } else if (Character.isLetterOrDigit(c)) {
                    cls.append(c);
                } else {
                    cls.append('\\').append(c);
                }
                i++;
            }
            if (i >= glob.length()) {
                throw new InvalidGlobException(glob, "'[' at position " + (start + 1) + " is never closed with ']'");
            }
            i++;
            re.append("(?:(?!/)").append(cls).append("])");
        }
    }
}

package dev.gantry.store;

/**
 * When each line of a log chunk was printed, as text: the first line's epoch milliseconds, then each next line's
 * difference from the one before ({@code 1764567890123,0,4,-1,250}). About four characters a line, against the
 * tens that a line's text takes.
 */
final class LogTimes {

    private LogTimes() {
    }

    static String encode(long[] times) {
        if (times == null || times.length == 0) {
            return null;
        }
        StringBuilder out = new StringBuilder(times.length * 4).append(times[0]);
        for (int i = 1; i < times.length; i++) {
            out.append(',').append(times[i] - times[i - 1]);
        }
        return out.toString();
    }

    /** The times of {@code lines} lines; null when none were stored or they do not match the lines. */
    static long[] decode(String text, int lines) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String[] parts = text.split(",");
        if (parts.length != lines) {
            return null;
        }
        long[] times = new long[lines];
        try {
            times[0] = Long.parseLong(parts[0]);
            for (int i = 1; i < lines; i++) {
                times[i] = times[i - 1] + Long.parseLong(parts[i]);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return times;
    }
}

package dev.gantry.core.junit;

/**
 * One test as a JUnit XML report records it.
 *
 * @param className the class as reported (nested classes keep their {@code Outer$Inner} form)
 * @param file      the source file when the report says (pytest, jest-junit), else null
 * @param seconds   the time as reported, which may be unusable ({@link #hasValidTime()})
 * @param message   the failure or error message; null when it passed or was skipped
 */
public record TestCase(String suite, String className, String name, String file, double seconds, Status status,
                       String message) {

    /** How a test ended. */
    public enum Status { PASSED, FAILED, ERROR, SKIPPED }

    /**
     * Whether the report gave this test a usable time. Reports do contain {@code NaN}, {@code Infinity} and
     * negative times; such a time must never reach the timings history.
     */
    public boolean hasValidTime() {
        return isValidSeconds(seconds);
    }

    /** Whether a duration in seconds is finite and not negative. */
    public static boolean isValidSeconds(double seconds) {
        return Double.isFinite(seconds) && seconds >= 0;
    }

    /** This test with a time of 0, for keeping a test whose reported time was unusable. */
    public TestCase withoutTime() {
        return new TestCase(suite, className, name, file, 0, status, message);
    }

    /** The top-level class: {@code Outer} for {@code Outer$Inner} (JUnit 5 nested tests) and for {@code Outer.Inner}. */
    public String outerClass() {
        return outerClass(className);
    }

    /** The top-level class of a reported class name. */
    public static String outerClass(String className) {
        String c = className == null ? "" : className;
        int dollar = c.indexOf('$');
        return dollar > 0 ? c.substring(0, dollar) : c;
    }

    /** The test's name without parameters: {@code add} for {@code add(int, int)[2]} or {@code test_x[redshift]}. */
    public String baseName() {
        String n = name == null ? "" : name;
        int cut = n.length();
        for (char c : new char[] {'[', '('}) {
            int i = n.indexOf(c);
            if (i > 0) {
                cut = Math.min(cut, i);
            }
        }
        return n.substring(0, cut).strip();
    }
}

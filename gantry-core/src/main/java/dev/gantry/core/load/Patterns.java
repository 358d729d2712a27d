package dev.gantry.core.load;

import java.util.regex.Pattern;

/** The shapes names in a pipeline must have, with the rule stated for error messages. */
final class Patterns {

    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final String ENV_RULE = "use letters, digits and '_', not starting with a digit";
    static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    static final String JOB_RULE = "use letters, digits, '-', '_' and '.', starting with a letter or digit";
    static final Pattern POOL_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    static final String POOL_RULE = "use lower-case letters, digits, '-' and '_'";
    static final Pattern AXIS_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    static final String AXIS_RULE = "use letters, digits and '_', starting with a letter";

    private Patterns() {
    }
}

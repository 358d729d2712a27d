package dev.gantry.core.load;

import dev.gantry.core.pipeline.RunStep;
import dev.gantry.core.pipeline.StepDef;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code run: "script"} or {@code run: {command, name, env, timeout, working_directory, no_output_timeout}}. */
final class RunStepParser implements StepParser {

    @Override
    public String type() {
        return RunStep.TYPE;
    }

    @Override
    public Optional<StepDef> parse(YNode value, String stepPath) {
        if (value.isScalar()) {
            return value.nonBlank().map(cmd -> new RunStep(defaultName(cmd), cmd, Map.of(), null, null, null,
                    value.location(), stepPath));
        }
        Optional<Map<String, YNode>> m = value.mapping(Keys.RUN);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Map<String, YNode> keys = m.get();
        YNode commandNode = keys.get("command");
        if (commandNode == null) {
            if (value.writtenKeyCount() == keys.size()) {
                value.problem("a run step needs 'command'");
            }
            return Optional.empty();
        }
        Optional<String> command = commandNode.nonBlank();
        String name = opt(keys, "name").flatMap(YNode::nonBlank).orElse(null);
        Map<String, dev.gantry.core.pipeline.Value> env = opt(keys, "env").flatMap(EnvParser::env)
                .orElse(Map.of());
        Duration timeout = opt(keys, "timeout").flatMap(YNode::duration).orElse(null);
        String dir = opt(keys, "working_directory").flatMap(YNode::nonBlank).orElse(null);
        if (dir != null && !staysInside(dir)) {
            keys.get("working_directory").problem("working_directory must stay inside the working copy: "
                    + "use a relative path without '..'");
            dir = null;
        }
        Duration noOutput = opt(keys, "no_output_timeout").flatMap(YNode::duration).orElse(null);
        String wd = dir;
        return command.map(cmd -> new RunStep(name != null ? name : defaultName(cmd), cmd, env, timeout, wd, noOutput,
                value.location(), stepPath));
    }

    private static Optional<YNode> opt(Map<String, YNode> keys, String key) {
        return Optional.ofNullable(keys.get(key));
    }

    /** Whether a relative directory written by a user stays inside the working copy. */
    static boolean staysInside(String dir) {
        return !dir.startsWith("/") && !java.util.Arrays.asList(dir.split("/")).contains("..");
    }

    /**
     * Whether every path stays inside the working copy and every glob among them is well formed; reports the first
     * that is not on {@code node}, so a typo such as {@code tests/[a.py} is refused up front rather than matching
     * nothing.
     */
    static boolean allInside(YNode node, java.util.List<String> paths) {
        for (String p : paths) {
            if (!staysInside(p)) {
                node.problem("'" + p + "' must stay inside the working copy: a relative path without '..'");
                return false;
            }
            java.util.Optional<String> bad = dev.gantry.core.glob.Glob.isPattern(p)
                    ? dev.gantry.core.glob.Glob.problem(p) : java.util.Optional.empty();
            if (bad.isPresent()) {
                node.problem(bad.get() + "; escape a literal '[', '{' or '*' with '\\'");
                return false;
            }
        }
        return true;
    }

    /** The first line of the script, shortened: what a person recognises in a summary. */
    static String defaultName(String command) {
        String first = command.strip().lines().findFirst().orElse("").strip();
        return first.length() > 60 ? first.substring(0, 57) + "..." : first;
    }
}

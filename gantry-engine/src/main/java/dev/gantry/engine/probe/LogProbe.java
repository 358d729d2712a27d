package dev.gantry.engine.probe;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Passes once a line of the service's output matched; fed every line as it is printed. */
public final class LogProbe implements Probe, Consumer<String> {

    private final Pattern pattern;
    private volatile String matched;

    LogProbe(String regex) {
        this.pattern = Pattern.compile(regex);
    }

    @Override
    public void accept(String line) {
        if (matched == null && pattern.matcher(line).find()) {
            matched = line;
        }
    }

    @Override
    public ProbeResult check(Duration timeout) {
        String m = matched;
        return m != null ? ProbeResult.ok("log line matched: " + m)
                : ProbeResult.fail("no output line matched /" + pattern.pattern() + "/ yet");
    }
}

package dev.gantry.engine.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Passes when a script exits 0 within the timeout. */
final class ExecProbe implements Probe {

    private final String script;
    private final ProbeTarget target;

    ExecProbe(String script, ProbeTarget target) {
        this.script = script;
        this.target = target;
    }

    @Override
    public ProbeResult check(Duration timeout) {
        List<String> command = new ArrayList<>(target.shell());
        command.add(script);
        ProcessBuilder pb = new ProcessBuilder(command).directory(target.directory().toFile())
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(target.env());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return ProbeResult.fail("'" + script + "' did not finish within " + timeout.toMillis() + " ms");
            }
            String out = new String(p.getInputStream().readNBytes(400), StandardCharsets.UTF_8).strip();
            String seen = "exit code " + p.exitValue() + (out.isEmpty() ? "" : ": " + out);
            return p.exitValue() == 0 ? ProbeResult.ok(seen) : ProbeResult.fail(seen);
        } catch (IOException e) {
            return ProbeResult.fail("cannot run '" + script + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.fail("interrupted");
        }
    }
}

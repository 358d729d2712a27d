package dev.gantry.engine.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.gantry.engine.exec.ProcessSpec;
import dev.gantry.engine.exec.StepProcess;

/** Passes when a script exits 0 within the timeout. */
final class ExecProbe implements Probe {

    /** The marker of a probe's processes, by which a timed-out one is stopped. */
    private static final String MARKER = "GANTRY_PROBE_ID";

    private final String script;
    private final ProbeTarget target;

    ExecProbe(String script, ProbeTarget target) {
        this.script = script;
        this.target = target;
    }

    @Override
    public ProbeResult check(Duration timeout) {
        return target.where() != null ? checkWhereStepsRun(timeout) : checkHere(timeout);
    }

    /** Through the task's executor, as a step would run: inside the task's container on Docker. */
    private ProbeResult checkWhereStepsRun(Duration timeout) {
        List<String> command = new ArrayList<>(target.shell());
        command.add(script);
        String id = java.util.UUID.randomUUID().toString();
        java.util.Map<String, String> env = new java.util.HashMap<>(target.env());
        env.put(MARKER, id);
        StepProcess p;
        try {
            p = target.where().start(new ProcessSpec(command, env, target.directory(), MARKER + "=" + id));
        } catch (IOException e) {
            return ProbeResult.fail("cannot run '" + script + "': " + e.getMessage());
        }
        java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                head(p.output()));
        try {
            int exit = p.exit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String text = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String seen = "exit code " + exit + (text.isEmpty() ? "" : ": " + text);
            return exit == 0 ? ProbeResult.ok(seen) : ProbeResult.fail(seen);
        } catch (java.util.concurrent.TimeoutException e) {
            p.stop("KILL", Duration.ZERO);
            return ProbeResult.fail("'" + script + "' did not finish within " + timeout.toMillis() + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            return ProbeResult.fail("cannot run '" + script + "': " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            p.stop("KILL", Duration.ZERO);
            Thread.currentThread().interrupt();
            return ProbeResult.fail("interrupted");
        }
    }

    /** The first 400 bytes of the output, reading the rest away so that the script never blocks on it. */
    private static String head(java.io.InputStream in) {
        try (in) {
            byte[] first = in.readNBytes(400);
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return new String(first, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private ProbeResult checkHere(Duration timeout) {
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

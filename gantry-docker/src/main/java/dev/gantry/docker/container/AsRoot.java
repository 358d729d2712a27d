package dev.gantry.docker.container;

import com.github.dockerjava.api.command.InspectExecResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Gantry's own commands in a task's container as root: stopping processes by their marker (every process of
 * a step carries {@code GANTRY_STEP_ID=...} in its environment, as locally, so a step's whole tree is found even
 * when it left its process group), and handing the working copy to the configured user and back. Needs
 * {@code sh}, {@code tr}, {@code grep}, {@code kill}, {@code sleep} and {@code chown} in the image (coreutils or
 * busybox: every image with a shell has them).
 */
final class AsRoot {

    /**
     * $1 marker, $2 signal, $3 grace in tenths of a second. The script's own processes carry no marker; /proc
     * entries that vanish meanwhile are skipped.
     */
    private static final String SCRIPT = """
            pids() { for p in /proc/[0-9]*; do
                tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qxF -- "$1" && echo "${p#/proc/}"
              done; }
            l=$(pids "$1"); [ -z "$l" ] && exit 0
            kill -s "$2" $l 2>/dev/null
            i=0
            while [ "$i" -lt "$3" ]; do
              l=$(pids "$1"); [ -z "$l" ] && exit 0
              sleep 0.1; i=$((i+1))
            done
            l=$(pids "$1"); [ -n "$l" ] && kill -s KILL $l 2>/dev/null
            exit 0
            """;

    private AsRoot() {
    }

    static void kill(TaskContainer c, String marker, String signal, Duration grace) {
        long tenths = Math.max(0, grace.toMillis() / 100);
        run(c, List.of("sh", "-c", SCRIPT, "gantry-stop", marker, signal, String.valueOf(tenths)),
                grace.plusSeconds(30));
    }

    /** Runs {@code command} as root in the container and returns its exit code (-1 when it could not run). */
    static int run(TaskContainer c, List<String> command, Duration timeout) {
        try {
            var docker = c.host().client();
            String exec = docker.execCreateCmd(c.id()).withUser("0:0").withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            FrameStream out = new FrameStream();
            docker.execStartCmd(exec).exec(out.callback(e -> ""));
            out.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            out.close();
            InspectExecResponse r = docker.inspectExecCmd(exec).exec();
            return r.getExitCodeLong() == null ? -1 : r.getExitCodeLong().intValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            return -1; // the container or its host is gone: nothing is left to stop
        }
    }
}

package dev.gantry.docker.container;

import com.github.dockerjava.api.command.InspectExecResponse;
import dev.gantry.docker.host.DockerErrors;
import dev.gantry.engine.exec.ProcessSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A step running in its task's container through {@code docker exec}, as the task's user, in its directory (the
 * same path as on this machine), with the task's environment. Its exit code comes from the exec's inspection once
 * its output ends; a lost host ends it with code 255 and a line saying so.
 */
final class ExecProcess extends StreamedProcess {

    private final TaskContainer container;
    private final ProcessSpec spec;

    private ExecProcess(TaskContainer container, ProcessSpec spec, FrameStream output, CompletableFuture<Integer> exit) {
        super(output, exit);
        this.container = container;
        this.spec = spec;
    }

    static ExecProcess start(TaskContainer container, ProcessSpec spec, Function<Throwable, String> lost)
            throws IOException {
        return start(container, spec, lost, (code, out) -> code);
    }

    /**
     * @param afterExit runs once the exit code is known, before the output ends (a line it notes is the step's
     *                  last); returns the step's exit code
     */
    static ExecProcess start(TaskContainer container, ProcessSpec spec, Function<Throwable, String> lost,
                             java.util.function.BiFunction<Integer, FrameStream, Integer> afterExit)
            throws IOException {
        var docker = container.host().client();
        Map<String, String> env = container.environment(spec.env());
        String execId;
        try {
            execId = docker.execCreateCmd(container.id())
                    .withUser(container.user())
                    .withWorkingDir(spec.directory().toString())
                    .withEnv(ContainerTask.envList(env))
                    .withCmd(container.command(spec.command(), env).toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).withAttachStdin(false)
                    .exec().getId();
        } catch (RuntimeException e) {
            throw DockerErrors.isConnectionLost(e) ? container.host().unreachable(e)
                    : new IOException("docker exec failed: " + DockerErrors.message(e), e);
        }
        FrameStream output = new FrameStream(false); // ended below, once the exit code is known
        docker.execStartCmd(execId).withDetach(false).withTty(false).exec(output.callback(lost));
        CompletableFuture<Integer> exit = output.done().handle((v, error) -> {
            int code = LOST; // a broken stream: its line was noted already
            if (error == null) {
                try {
                    code = afterExit.apply(exitCode(container, execId), output);
                } catch (RuntimeException e) { // the stream ended as its host went away
                    output.note(lost.apply(e));
                }
            }
            output.end();
            return code;
        });
        return new ExecProcess(container, spec, output, exit);
    }

    /**
     * The exec's exit code once its engine says it has ended. An engine that still says it runs two seconds after
     * its output ended is answered with an exception, which the step's output explains.
     */
    private static int exitCode(TaskContainer container, String execId) {
        for (int i = 0; i < 100; i++) {
            InspectExecResponse r = container.host().client().inspectExecCmd(execId).exec();
            if (!Boolean.TRUE.equals(r.isRunning()) && r.getExitCodeLong() != null) {
                return r.getExitCodeLong().intValue();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("its output ended while docker host " + container.host().spec()
                + " still reports it running");
    }

    @Override
    public void stop(String signal, Duration grace) {
        container.kill(spec.marker(), signal, grace);
        try {
            exit().get(grace.toMillis() + 10_000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // the exec's stream outlived its processes (a host hiccup): the container's removal ends it
        }
    }
}

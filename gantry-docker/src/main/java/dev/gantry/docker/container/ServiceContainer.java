package dev.gantry.docker.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.HostConfig;
import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.docker.host.DockerErrors;
import dev.gantry.docker.host.Labels;
import dev.gantry.engine.exec.ServiceSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job service in a container of its own (its {@code image:}, else the job's), sharing the task container's
 * network: it listens where the steps look for it ({@code 127.0.0.1:PORT}, or its name). Its output is the
 * container's, attached before it starts so that nothing is missed; stopping it sends its stop signal, waits its
 * grace, then kills it, and the container is removed with the task's.
 */
final class ServiceContainer extends StreamedProcess {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final TaskContainer task;
    private final String id;
    private final String name;
    private final ContainerStats stats;

    private ServiceContainer(TaskContainer task, String id, String name, FrameStream output,
                             CompletableFuture<Integer> exit) {
        super(output, exit);
        this.task = task;
        this.id = id;
        this.name = name;
        this.stats = ContainerStats.follow(task.host(), id);
    }

    /** The service's name in the pipeline. */
    String name() {
        return name;
    }

    /** Its resource use, from its container's cgroup. */
    ContainerStats stats() {
        return stats;
    }

    static ServiceContainer start(TaskContainer task, ServiceSpec spec, java.util.function.Function<Throwable, String> lost)
            throws IOException {
        DockerClient docker = task.host().client();
        ImageRef image = spec.image() != null ? spec.image() : task.setup().image();
        Map<String, String> env = task.environment(spec.process().env());
        String id = null;
        try {
            if (spec.image() != null) {
                Images.ensure(task.host(), image, task.setup().secrets());
            }
            String name = task.id().substring(0, 12) + "-" + spec.name() + "-" + COUNTER.incrementAndGet();
            id = docker.createContainerCmd(image.name())
                    .withName("gantry-svc-" + name)
                    .withLabels(Labels.of(task.plan().instance(), task.setup().buildId(), task.setup().task(),
                            "service"))
                    .withEntrypoint(task.command(spec.process().command(), env))
                    .withCmd(java.util.List.of())
                    .withEnv(ContainerTask.envList(env))
                    .withWorkingDir(spec.process().directory().toString())
                    .withUser(image.user() != null ? image.user() : task.user())
                    .withStopSignal("SIG" + spec.stopSignal())
                    .withHostConfig(HostConfig.newHostConfig()
                            .withInit(true)
                            .withNetworkMode("container:" + task.id())
                            .withBinds(task.binds()))
                    .exec().getId();
            if (task.copiesFiles()) { // its own copy of the working copy, as it is when the service starts
                WorkingCopySync.upload(task.host(), id, task.workingCopy(),
                        image.user() != null ? image.user() : task.user());
            }
            FrameStream output = new FrameStream();
            docker.attachContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).withLogs(true)
                    .exec(output.callback(lost));
            docker.startContainerCmd(id).exec();
            String started = id;
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    exit.complete(docker.waitContainerCmd(started).exec(new WaitContainerResultCallback())
                            .awaitStatusCode());
                } catch (RuntimeException e) {
                    exit.complete(LOST);
                }
            }, "service-wait-" + spec.name());
            waiter.setDaemon(true);
            waiter.start();
            return new ServiceContainer(task, id, spec.name(), output, exit);
        } catch (RuntimeException e) {
            TaskContainer.removeQuietly(docker, id, null);
            throw DockerErrors.isConnectionLost(e) ? task.host().unreachable(e)
                    : new IOException("cannot start service " + spec.name() + " from image " + image.name() + ": "
                    + DockerErrors.message(e), e);
        } catch (IOException e) {
            TaskContainer.removeQuietly(docker, id, null);
            throw e;
        }
    }

    @Override
    public void stop(String signal, Duration grace) {
        DockerClient docker = task.host().client();
        try {
            if (!exit().isDone()) {
                docker.killContainerCmd(id).withSignal("SIG" + signal).exec();
                exit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            try {
                docker.killContainerCmd(id).withSignal("SIGKILL").exec();
                exit().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // gone meanwhile
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // it exited meanwhile, or the host is gone
        }
    }

    /** Stops it (if still running) and removes its container. */
    void remove() {
        stats.close();
        if (!exit().isDone()) {
            stop("KILL", Duration.ZERO);
        }
        TaskContainer.removeQuietly(task.host().client(), id, null);
    }
}

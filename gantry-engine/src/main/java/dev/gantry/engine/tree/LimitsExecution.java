package dev.gantry.engine.tree;

import dev.gantry.core.pipeline.Limits;
import dev.gantry.core.pipeline.Sizes;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.process.ProcessTree;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.telemetry.NvidiaSmi;
import dev.gantry.engine.telemetry.ProcStats;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks the memory (and, where nvidia-smi exists, the GPU memory) of all the task's processes together every
 * {@link #PERIOD_MS} ms on a thread of its own, and stops the child with a message naming the limit when one is exceeded.
 */
record LimitsExecution(Limits limits, Execution child) implements Execution {

    static final long PERIOD_MS = 250;

    @Override
    public Outcome execute(TaskScope scope) {
        Cancellation mine = scope.cancellation().child();
        ProcessTree.Selector selector = new ProcessTree.Selector(scope.task().marker(), 0, 0);
        NvidiaSmi nvidia = new NvidiaSmi(scope.environment().get("PATH"));
        if (limits.gpuMemoryBytes() != null && !nvidia.available()) {
            scope.output("note: gpu_memory limit not enforced: nvidia-smi is not on the PATH");
        }
        // checks run on a thread of their own: a hung nvidia-smi must not hold up the task's timeouts
        ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "limits-" + scope.taskName());
            t.setDaemon(true);
            return t;
        });
        checker.scheduleWithFixedDelay(() -> check(selector, nvidia, mine), 0, PERIOD_MS, TimeUnit.MILLISECONDS);
        try {
            return TimeoutExecution.causedBy(scope, child.execute(scope.withCancellation(mine)), mine);
        } finally {
            checker.shutdownNow();
        }
    }

    private void check(ProcessTree.Selector selector, NvidiaSmi nvidia, Cancellation mine) {
        try {
            enforce(selector, nvidia, mine);
        } catch (RuntimeException e) {
            // a failed check must not end the schedule: the next one runs in PERIOD_MS
        }
    }

    private void enforce(ProcessTree.Selector selector, NvidiaSmi nvidia, Cancellation mine) {
        Set<Long> pids = ProcessTree.find(selector);
        if (limits.memoryBytes() != null) {
            long rss = ProcStats.of(pids).rssBytes();
            if (rss > limits.memoryBytes()) {
                mine.cancel(Cancellation.Reason.FAILED, "memory limit exceeded: the task's processes use "
                        + Sizes.format(rss) + ", the limit is " + Sizes.format(limits.memoryBytes()));
                return;
            }
        }
        if (limits.gpuMemoryBytes() != null) {
            nvidia.query().ifPresent(snapshot -> {
                long used = pids.stream().mapToLong(p -> snapshot.memoryByPid().getOrDefault(p, 0L)).sum();
                if (used > limits.gpuMemoryBytes()) {
                    mine.cancel(Cancellation.Reason.FAILED, "gpu_memory limit exceeded: the task's processes hold "
                            + Sizes.format(used) + " of GPU memory, the limit is "
                            + Sizes.format(limits.gpuMemoryBytes()));
                }
            });
        }
    }
}

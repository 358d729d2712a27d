package dev.gantry.core.pipeline;

/**
 * Resources a task may use at most; exceeding one fails the task with a message saying which and by how much.
 *
 * @param memoryBytes    resident memory of all the task's processes together; null for no limit
 * @param gpuMemoryBytes GPU memory of all the task's processes together (needs nvidia-smi); null for no limit
 */
public record Limits(Long memoryBytes, Long gpuMemoryBytes) {

    public static final Limits NONE = new Limits(null, null);

    public boolean isNone() {
        return memoryBytes == null && gpuMemoryBytes == null;
    }
}

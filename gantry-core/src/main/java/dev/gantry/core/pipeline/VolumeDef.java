package dev.gantry.core.pipeline;

/**
 * A named directory that persists across builds (a model cache of several GB), mounted into each task's working
 * copy at {@code path} instead of being copied. Writers hold it alone; readers ({@code read_only}) share it.
 */
public record VolumeDef(String name, String path, boolean readOnly) {
}

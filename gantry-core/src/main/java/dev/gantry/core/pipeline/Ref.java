package dev.gantry.core.pipeline;

/** A name that refers to something else in the pipeline (a job in {@code needs}), with where it was written. */
public record Ref(String name, Location location, String path) {
}

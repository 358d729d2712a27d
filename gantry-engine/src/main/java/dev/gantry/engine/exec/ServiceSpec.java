package dev.gantry.engine.exec;

import dev.gantry.core.pipeline.ImageRef;
import java.time.Duration;

/**
 * A job service to start for a task: its process (as for a step), and on Docker the image it runs in.
 *
 * @param name       the service's name, by which steps reach it
 * @param image      its own image; null for the job's
 * @param process    the command, environment, directory and marker, as for a step
 * @param stopSignal TERM, INT, HUP, QUIT or KILL
 * @param grace      how long it gets to stop before SIGKILL
 */
public record ServiceSpec(String name, ImageRef image, ProcessSpec process, String stopSignal, Duration grace) {
}

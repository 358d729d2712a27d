/**
 * Retention: which builds' logs, artifacts and telemetry a server keeps ({@code retention:} in a pipeline,
 * {@code --keep-builds} and {@code --keep-days} on the server), and the one place that removes them. Pinned builds
 * and the builds behind live releases are never touched; a build's record, steps and tests stay for history.
 */
package dev.gantry.server.retention;

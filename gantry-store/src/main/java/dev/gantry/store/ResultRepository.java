package dev.gantry.store;

import java.util.List;

/** Test results, artifacts, cache uses and telemetry samples of builds, added as they come and read per build. */
public interface ResultRepository {

    void addTests(String buildId, List<ResultRows.TestRow> tests);

    /** The build's tests, slowest first. */
    List<ResultRows.TestRow> tests(String buildId);

    /** The tests of each of the builds (by id), slowest first, in one query: a pipeline's history. */
    java.util.Map<String, List<ResultRows.TestRow>> tests(java.util.Collection<String> buildIds);

    void addArtifacts(String buildId, List<ResultRows.ArtifactRow> artifacts);

    List<ResultRows.ArtifactRow> artifacts(String buildId);

    void addCacheUse(String buildId, ResultRows.CacheRow use);

    /** The build's cache saves and restores in the order they happened. */
    List<ResultRows.CacheRow> caches(String buildId);

    void addTelemetry(String buildId, List<ResultRows.TelemetryRow> samples);

    /** The build's samples in time order. */
    List<ResultRows.TelemetryRow> telemetry(String buildId);

    /**
     * Removes the build's artifacts and telemetry samples (retention, whose files go too); its tests and cache uses
     * stay, for the pipeline's history.
     */
    void deleteArtifactsAndTelemetry(String buildId);
}

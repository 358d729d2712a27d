package dev.gantry.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Registered pipelines and the refs each has seen, so polling resumes where it was after a restart. */
public interface PipelineRepository {

    /** Registers the pipeline, or updates it when one of that name exists. */
    void save(PipelineRow pipeline);

    Optional<PipelineRow> find(String name);

    /** By name. */
    List<PipelineRow> list();

    /**
     * Removes the pipeline, the refs it has seen, its own secrets and its webhook deliveries (so a pipeline
     * registered later under the same name inherits none of them); its builds stay. Returns whether it existed.
     */
    boolean delete(String name);

    /** Each ref seen ({@code refs/heads/main}, {@code refs/tags/v1}) with the commit it pointed at. */
    Map<String, String> refs(String name);

    void saveRef(String name, String ref, String commit);

    /**
     * Records a webhook delivery for a pipeline by its sender's id; false when that delivery was recorded for the
     * pipeline before (a replay).
     * Deliveries older than {@code keepSince} are forgotten as this one is recorded.
     */
    boolean recordDelivery(String pipeline, String provider, String deliveryId, Instant at, Instant keepSince);

    /** Records the retention the pipeline's last build declared ({@link dev.gantry.core.pipeline.Retention#FOREVER} for none). */
    void saveRetention(String name, dev.gantry.core.pipeline.Retention retention);

    /** The retention last recorded; {@link dev.gantry.core.pipeline.Retention#FOREVER} before any (the server's defaults then apply). */
    dev.gantry.core.pipeline.Retention retention(String name);
}

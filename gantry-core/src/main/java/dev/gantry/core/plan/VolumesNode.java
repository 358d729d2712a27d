package dev.gantry.core.plan;

import dev.gantry.core.pipeline.VolumeDef;
import java.util.List;

/** Mounts {@code volumes} (taking their locks) around {@code child}, services included, and unmounts them after. */
public record VolumesNode(List<VolumeDef> volumes, PlanNode child) implements PlanNode {

    public VolumesNode {
        volumes = List.copyOf(volumes);
    }
}

package dev.gantry.core.plan;

import dev.gantry.core.pipeline.ServiceDef;
import java.util.List;

/**
 * Starts {@code services} (in {@code depends_on} order), waits until each is ready, runs {@code child} while
 * watching them, then stops them in reverse order.
 */
public record ServicesNode(List<ServiceDef> services, PlanNode child) implements PlanNode {

    public ServicesNode {
        services = List.copyOf(services);
    }
}

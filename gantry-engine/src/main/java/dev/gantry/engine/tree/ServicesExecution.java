package dev.gantry.engine.tree;

import dev.gantry.core.pipeline.ServiceDef;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.service.PortAllocator;
import dev.gantry.engine.service.ServiceHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Starts a job's services on ports of their own, waits for each to be ready, runs the steps while each service is
 * supervised (an exit or a failed liveness probe restarts it by its {@code restart:} policy, or else fails the job
 * with that reason), then stops them in reverse start order. The steps see each service's health through
 * {@link dev.gantry.engine.step.StepContext#services()}.
 */
record ServicesExecution(List<ServiceDef> services, Execution child) implements Execution {

    @Override
    public Outcome execute(TaskScope scope) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, String> env = new HashMap<>();
        for (ServiceDef s : services) {
            int port = PortAllocator.allocate();
            ports.put(s.name(), port);
            String key = "GANTRY_SERVICE_" + s.name().toUpperCase(Locale.ROOT).replace('-', '_');
            env.put(key + "_PORT", String.valueOf(port));
            env.put(key + "_URL", "http://127.0.0.1:" + port);
        }
        TaskScope withEnv = scope.withEnv(env);
        Map<String, ServiceHandle> handles = new LinkedHashMap<>();
        List<SupervisedService> started = new ArrayList<>();
        try {
            for (ServiceDef s : startOrder()) {
                SupervisedService supervised = new SupervisedService(s, ports.get(s.name()), withEnv);
                started.add(supervised);
                handles.put(s.name(), supervised.handle());
                Outcome failed = supervised.start();
                if (failed != null) {
                    return failed;
                }
            }
            Cancellation mine = scope.cancellation().child();
            started.forEach(s -> s.watch(mine));
            Outcome o = child.execute(withEnv.withServices(Collections.unmodifiableMap(handles))
                    .withCancellation(mine));
            started.forEach(SupervisedService::quiesce);
            return TimeoutExecution.causedBy(scope, o, mine);
        } finally {
            started.forEach(SupervisedService::quiesce);
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).stop();
            }
        }
    }

    /** Services in an order where each comes after what it depends on; file order otherwise. */
    private List<ServiceDef> startOrder() {
        List<ServiceDef> order = new ArrayList<>();
        List<String> placed = new ArrayList<>();
        while (order.size() < services.size()) {
            boolean progress = false;
            for (ServiceDef s : services) {
                if (!placed.contains(s.name()) && s.dependsOn().stream().allMatch(d -> placed.contains(d.name()))) {
                    order.add(s);
                    placed.add(s.name());
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalStateException("services depend on each other in a cycle: " + services);
            }
        }
        return order;
    }
}

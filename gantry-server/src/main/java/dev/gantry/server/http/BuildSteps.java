package dev.gantry.server.http;

import dev.gantry.store.BuildRow;
import dev.gantry.store.StepRow;
import dev.gantry.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A build's steps by task, in the build's task order (a task that has not started has none yet). */
public final class BuildSteps {

    private BuildSteps() {
    }

    public static Map<String, List<StepRow>> of(Store store, BuildRow build) {
        Map<String, List<StepRow>> steps = new LinkedHashMap<>();
        build.tasks().forEach(t -> steps.put(t.name(), new ArrayList<>()));
        store.builds().steps(build.id()).forEach(s -> steps.computeIfAbsent(s.task(), k -> new ArrayList<>())
                .add(s.step()));
        return steps;
    }
}

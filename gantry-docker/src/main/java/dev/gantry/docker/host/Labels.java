package dev.gantry.docker.host;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels on every container and network Gantry creates: which Gantry instance (a {@code gantry run} state
 * directory or a server's data directory), which running process, build and task. Gantry only ever removes
 * what carries its instance's label.
 */
public final class Labels {

    public static final String INSTANCE = "dev.gantry.instance";
    public static final String OWNER = "dev.gantry.owner";
    public static final String BUILD = "dev.gantry.build";
    public static final String TASK = "dev.gantry.task";
    public static final String ROLE = "dev.gantry.role";

    private Labels() {
    }

    public static Map<String, String> of(String instance, String build, String task, String role) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(INSTANCE, instance);
        labels.put(OWNER, Owner.self().toString());
        labels.put(BUILD, build);
        labels.put(TASK, task);
        labels.put(ROLE, role);
        return labels;
    }
}

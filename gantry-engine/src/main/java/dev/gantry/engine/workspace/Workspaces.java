package dev.gantry.engine.workspace;

import dev.gantry.core.plan.Plan;
import dev.gantry.core.plan.TaskPlan;
import dev.gantry.engine.run.TaskKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A build's workspace: each task's {@code persist} fills a layer of its own; {@code attach} lays the layers of
 * every task upstream of the attaching one over each other in DAG order. Two tasks that ran concurrently (neither
 * upstream of the other) persisting the same path is an error: which one should win is a guess.
 */
public final class Workspaces {

    /** Two concurrent tasks persisted the same path. */
    public static final class ConflictException extends IOException {
        public ConflictException(String message) {
            super(message);
        }
    }

    private final Path root;
    private final Plan plan;

    public Workspaces(Path root, Plan plan) {
        this.root = root;
        this.plan = plan;
    }

    private Path layer(String task) {
        return root.resolve(TaskKeys.key(task));
    }

    /** Copies the files matching {@code paths} under {@code from} into the task's layer; returns how many. */
    public int persist(String task, Path from, List<String> paths) throws IOException {
        List<String> files = Globs.files(from, paths);
        for (String f : files) {
            Path dst = layer(task).resolve(f);
            Files.createDirectories(dst.getParent());
            Files.copy(from.resolve(f), dst, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return files.size();
    }

    /** Lays every upstream task's files into {@code target}; returns how many distinct files it holds now. */
    public int attach(String task, Path target) throws IOException {
        List<String> upstream = upstream(task);
        Map<String, List<String>> providers = new LinkedHashMap<>();
        for (String t : upstream) {
            for (String f : files(layer(t))) {
                providers.computeIfAbsent(f, k -> new ArrayList<>()).add(t);
            }
        }
        for (Map.Entry<String, List<String>> e : providers.entrySet()) {
            List<String> by = e.getValue();
            for (int i = 0; i < by.size(); i++) {
                for (int j = i + 1; j < by.size(); j++) {
                    if (!upstream(by.get(j)).contains(by.get(i)) && !upstream(by.get(i)).contains(by.get(j))) {
                        throw new ConflictException("'" + e.getKey() + "' was persisted by both " + by.get(i)
                                + " and " + by.get(j) + ", which ran concurrently: persist it from one of them, or make "
                                + "one need the other");
                    }
                }
            }
        }
        for (String t : upstream) {
            for (String f : files(layer(t))) {
                Path dst = target.resolve(f);
                Files.createDirectories(dst.getParent());
                Files.copy(layer(t).resolve(f), dst, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return providers.size();
    }

    /** Every task {@code task} depends on, directly or not, in plan (DAG) order. */
    List<String> upstream(String task) {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(plan.task(task).map(TaskPlan::dependsOn).orElse(List.of()));
        while (!todo.isEmpty()) {
            String t = todo.remove(todo.size() - 1);
            if (seen.add(t)) {
                todo.addAll(plan.task(t).map(TaskPlan::dependsOn).orElse(List.of()));
            }
        }
        return plan.tasks().stream().map(TaskPlan::name).filter(seen::contains).toList();
    }

    private static List<String> files(Path layer) throws IOException {
        if (!Files.isDirectory(layer)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(layer)) {
            return walk.filter(Files::isRegularFile).map(p -> layer.relativize(p).toString()).sorted().toList();
        }
    }
}

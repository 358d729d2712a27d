package dev.gantry.engine.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Run state of one task, owned by the scheduler: every change goes through {@link #transition} and is recorded
 * with its time.
 */
public final class TaskRun {

    /** One recorded change of state. */
    public record Transition(TaskState state, Instant at) {
    }

    private final String name;
    private final List<Transition> transitions = new ArrayList<>();
    private TaskState state;
    private int attempts;
    private String reason;

    public TaskRun(String name, Instant at) {
        this.name = name;
        this.state = TaskState.QUEUED;
        transitions.add(new Transition(TaskState.QUEUED, at));
    }

    public synchronized void transition(TaskState next, Instant at, String why) {
        if (state.isTerminal()) {
            throw new IllegalStateException("task " + name + " is already " + state.label());
        }
        state = next;
        reason = why;
        transitions.add(new Transition(next, at));
    }

    public synchronized void attemptStarted(int attempt) {
        attempts = attempt;
    }

    public String name() {
        return name;
    }

    public synchronized TaskState state() {
        return state;
    }

    public synchronized int attempts() {
        return attempts;
    }

    public synchronized String reason() {
        return reason;
    }

    public synchronized List<Transition> transitions() {
        return List.copyOf(transitions);
    }

    /** When it started running, or null if it never did. */
    public synchronized Instant startedAt() {
        return transitions.stream().filter(t -> t.state() == TaskState.RUNNING).map(Transition::at).findFirst()
                .orElse(null);
    }

    public synchronized Instant finishedAt() {
        return state.isTerminal() ? transitions.get(transitions.size() - 1).at() : null;
    }

    /** Time spent running; zero for a task that never ran. */
    public synchronized Duration duration() {
        Instant start = startedAt();
        Instant end = finishedAt();
        return start == null || end == null ? Duration.ZERO : Duration.between(start, end);
    }
}

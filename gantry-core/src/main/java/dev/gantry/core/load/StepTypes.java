package dev.gantry.core.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The registry of step types, keyed by the YAML key that introduces each one. */
public final class StepTypes {

    private final Map<String, StepParser> parsers = new LinkedHashMap<>();

    /** The step types every pipeline can use. */
    public static StepTypes standard() {
        return new StepTypes().register(new RunStepParser()).register(new AudioCheckStepParser())
                .register(new ArtifactsStepParser())
                .register(new TestResultsStepParser())
                .register(new CacheStepParsers.Save()).register(new CacheStepParsers.Restore())
                .register(new WorkspaceStepParsers.Persist()).register(new WorkspaceStepParsers.Attach())
                .register(new BatchStepParser());
    }

    public StepTypes register(StepParser parser) {
        if (parsers.putIfAbsent(parser.type(), parser) != null) {
            throw new IllegalArgumentException("step type '" + parser.type() + "' is registered twice");
        }
        return this;
    }

    public Optional<StepParser> find(String type) {
        return Optional.ofNullable(parsers.get(type));
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(parsers.keySet());
    }
}

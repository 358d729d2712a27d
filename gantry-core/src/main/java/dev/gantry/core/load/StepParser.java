package dev.gantry.core.load;

import dev.gantry.core.pipeline.StepDef;
import java.util.Optional;

/** Reads one step type from the node under its key ({@code run: ...}). Registered in {@link StepTypes}. */
public interface StepParser {

    /** The YAML key that introduces this step type. */
    String type();

    /**
     * @param value    the node under the type key
     * @param stepPath the step's own path, e.g. {@code jobs.build.steps[0]}
     * @return empty when the node had problems (already reported through {@code value})
     */
    Optional<StepDef> parse(YNode value, String stepPath);
}

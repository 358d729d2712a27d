package dev.gantry.core.load;

import dev.gantry.core.pipeline.AttachStep;
import dev.gantry.core.pipeline.PersistStep;
import dev.gantry.core.pipeline.StepDef;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code persist: {root, paths}} (or just paths) and {@code attach: {at}} (or just the directory). */
final class WorkspaceStepParsers {

    private WorkspaceStepParsers() {
    }

    static final class Persist implements StepParser {

        @Override
        public String type() {
            return PersistStep.TYPE;
        }

        @Override
        public Optional<StepDef> parse(YNode value, String stepPath) {
            String root = ".";
            List<String> paths;
            if (value.isMapping()) {
                Map<String, YNode> keys = value.mapping(Keys.PERSIST).orElse(Map.of());
                if (!keys.containsKey("paths")) {
                    value.problem("persist needs 'paths', e.g. paths: [target/app.jar]");
                    return Optional.empty();
                }
                root = Optional.ofNullable(keys.get("root")).flatMap(YNode::nonBlank).orElse(".");
                paths = NonEmptyLists.of(keys.get("paths"), "path").orElse(List.of());
            } else {
                paths = NonEmptyLists.of(value, "path").orElse(List.of());
            }
            if (!RunStepParser.allInside(value, List.of(root)) || !RunStepParser.allInside(value, paths)
                    || paths.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PersistStep("persist " + String.join(" ", paths), root, paths, value.location(),
                    stepPath));
        }
    }

    static final class Attach implements StepParser {

        @Override
        public String type() {
            return AttachStep.TYPE;
        }

        @Override
        public Optional<StepDef> parse(YNode value, String stepPath) {
            String at = ".";
            if (value.isMapping()) {
                Map<String, YNode> keys = value.mapping(Keys.ATTACH).orElse(Map.of());
                at = Optional.ofNullable(keys.get("at")).flatMap(YNode::nonBlank).orElse(".");
            } else if (!value.isNull()) {
                at = value.nonBlank().orElse(".");
            }
            if (!RunStepParser.allInside(value, List.of(at))) {
                return Optional.empty();
            }
            return Optional.of(new AttachStep("attach workspace at " + at, at, value.location(), stepPath));
        }
    }
}

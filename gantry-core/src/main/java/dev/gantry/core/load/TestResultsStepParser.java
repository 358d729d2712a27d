package dev.gantry.core.load;

import dev.gantry.core.pipeline.StepDef;
import dev.gantry.core.pipeline.TestResultsStep;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code test_results: GLOB}, a list of globs, or {@code {paths, name}}. */
final class TestResultsStepParser implements StepParser {

    @Override
    public String type() {
        return TestResultsStep.TYPE;
    }

    @Override
    public Optional<StepDef> parse(YNode value, String stepPath) {
        List<String> paths;
        String name = null;
        if (value.isMapping()) {
            Map<String, YNode> keys = value.mapping(Keys.TEST_RESULTS).orElse(Map.of());
            if (!keys.containsKey("paths")) {
                value.problem("test_results needs 'paths', e.g. paths: target/surefire-reports/*.xml");
                return Optional.empty();
            }
            paths = NonEmptyLists.of(keys.get("paths"), "path").orElse(List.of());
            name = Optional.ofNullable(keys.get("name")).flatMap(YNode::nonBlank).orElse(null);
        } else {
            paths = NonEmptyLists.of(value, "path").orElse(List.of());
        }
        if (!RunStepParser.allInside(value, paths) || paths.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TestResultsStep(name != null ? name : "test results " + String.join(" ", paths), paths,
                value.location(), stepPath));
    }
}

package dev.gantry.core.load;

import dev.gantry.core.pipeline.ArtifactsStep;
import dev.gantry.core.pipeline.StepDef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code artifacts: {paths, name}}, or {@code artifacts: GLOB} for one glob under the name {@code artifacts}. */
final class ArtifactsStepParser implements StepParser {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    @Override
    public String type() {
        return ArtifactsStep.TYPE;
    }

    @Override
    public Optional<StepDef> parse(YNode value, String stepPath) {
        List<String> paths;
        String name = "artifacts";
        if (value.isScalar()) {
            paths = value.textList().orElse(List.of());
        } else {
            Map<String, YNode> keys = value.mapping(Keys.ARTIFACTS).orElse(null);
            if (keys == null) {
                return Optional.empty();
            }
            if (!keys.containsKey("paths")) {
                value.problem("artifacts needs 'paths', e.g. paths: [out/*.wav, reports/]");
                return Optional.empty();
            }
            paths = NonEmptyLists.of(keys.get("paths"), "path").orElse(List.of());
            if (keys.containsKey("name")) {
                YNode n = keys.get("name");
                name = n.nonBlank().orElse(name);
                if (!NAME.matcher(name).matches()) {
                    n.problem("invalid artifact name '" + name + "': use letters, digits, '-', '_' and '.'");
                    return Optional.empty();
                }
            }
        }
        if (paths.isEmpty() || !RunStepParser.allInside(value, paths)) {
            return Optional.empty();
        }
        String artifact = name;
        return Optional.of(new ArtifactsStep("artifacts " + artifact + ": " + String.join(" ", paths), paths, artifact,
                value.location(), stepPath));
    }
}

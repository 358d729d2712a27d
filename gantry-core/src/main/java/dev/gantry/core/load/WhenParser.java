package dev.gantry.core.load;

import dev.gantry.core.glob.Glob;
import dev.gantry.core.pipeline.WhenDef;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code when: {branches, tags}}, for a job (which revisions it runs for) and for an environment (which revisions
 * {@code environment: auto} deploys to it). A malformed glob is refused here rather than failing the plan.
 */
final class WhenParser {

    private WhenParser() {
    }

    static WhenDef when(YNode node) {
        Map<String, YNode> keys = node.mapping(Keys.WHEN).orElse(Map.of());
        List<String> branches = globs(keys.get("branches"));
        List<String> tags = globs(keys.get("tags"));
        if (branches == null && tags == null && node.isMapping()) {
            node.problem("'when' needs 'branches' or 'tags'");
        }
        return new WhenDef(branches, tags);
    }

    /** The globs of {@code branches} or {@code tags}; null when not written. */
    private static List<String> globs(YNode node) {
        if (node == null) {
            return null;
        }
        Optional<List<String>> globs = node.textList();
        globs.ifPresent(list -> list.stream().map(Glob::problem).flatMap(Optional::stream).findFirst()
                .ifPresent(node::problem));
        return globs.map(list -> list.stream().filter(g -> Glob.problem(g).isEmpty()).toList()).orElse(null);
    }
}

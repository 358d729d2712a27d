package dev.gantry.core.load;

import dev.gantry.core.cache.CacheKeys;
import dev.gantry.core.pipeline.RestoreCacheStep;
import dev.gantry.core.pipeline.SaveCacheStep;
import dev.gantry.core.pipeline.StepDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code save_cache: {key, paths, name, shared}} and {@code restore_cache: {keys | key, name, shared}}. */
final class CacheStepParsers {

    private CacheStepParsers() {
    }

    static final class Save implements StepParser {

        @Override
        public String type() {
            return SaveCacheStep.TYPE;
        }

        @Override
        public Optional<StepDef> parse(YNode value, String stepPath) {
            Map<String, YNode> keys = value.mapping(Keys.SAVE_CACHE).orElse(null);
            if (keys == null) {
                return Optional.empty();
            }
            if (!keys.containsKey("key") || !keys.containsKey("paths")) {
                value.problem("save_cache needs 'key' and 'paths', e.g. key: deps-{{ checksum \"pom.xml\" }}");
                return Optional.empty();
            }
            Optional<String> key = template(keys.get("key"));
            List<String> paths = NonEmptyLists.of(keys.get("paths"), "path").orElse(null);
            if (paths == null) {
                return Optional.empty();
            }
            for (String p : paths) {
                String rel = p.startsWith("~/") ? p.substring(2) : p;
                if (!RunStepParser.staysInside(rel) || p.equals("~")) {
                    keys.get("paths").problem("'" + p + "' must be inside the working copy or below ~/, without '..'");
                    return Optional.empty();
                }
            }
            String name = Optional.ofNullable(keys.get("name")).flatMap(YNode::nonBlank).orElse(null);
            boolean shared = shared(keys);
            return key.map(k -> new SaveCacheStep(name != null ? name : "save cache " + k, k, paths, shared,
                    value.location(), stepPath));
        }
    }

    static final class Restore implements StepParser {

        @Override
        public String type() {
            return RestoreCacheStep.TYPE;
        }

        @Override
        public Optional<StepDef> parse(YNode value, String stepPath) {
            Map<String, YNode> keys = value.mapping(Keys.RESTORE_CACHE).orElse(null);
            if (keys == null) {
                return Optional.empty();
            }
            if (keys.containsKey("keys") == keys.containsKey("key")) {
                value.problem("restore_cache needs 'keys' (a list, tried in order) or 'key', not both");
                return Optional.empty();
            }
            YNode list = keys.containsKey("keys") ? keys.get("keys") : keys.get("key");
            List<String> templates = new ArrayList<>();
            if (list.isScalar()) {
                template(list).ifPresent(templates::add);
            } else {
                list.sequence().ifPresent(items -> items.forEach(i -> template(i).ifPresent(templates::add)));
            }
            if (templates.isEmpty()) {
                if (list.sequence().map(List::isEmpty).orElse(false)) {
                    list.problem("must list at least one key, e.g. keys: [deps-v1-{{ checksum \"pom.xml\" }}]");
                }
                return Optional.empty();
            }
            String name = Optional.ofNullable(keys.get("name")).flatMap(YNode::nonBlank).orElse(null);
            return Optional.of(new RestoreCacheStep(name != null ? name : "restore cache " + templates.get(0),
                    templates, shared(keys), value.location(), stepPath));
        }
    }

    /** {@code shared: true} opts a step into the caches every pipeline can see; the default is the pipeline's own. */
    private static boolean shared(Map<String, YNode> keys) {
        return keys.containsKey("shared") && keys.get("shared").bool().orElse(false);
    }

    private static Optional<String> template(YNode node) {
        Optional<String> t = node.nonBlank();
        if (t.isPresent()) {
            Optional<String> problem = CacheKeys.problem(t.get());
            if (problem.isPresent()) {
                node.problem(problem.get());
                return Optional.empty();
            }
        }
        return t;
    }
}

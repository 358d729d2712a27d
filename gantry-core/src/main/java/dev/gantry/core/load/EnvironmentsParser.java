package dev.gantry.core.load;

import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.EnvironmentDef;
import dev.gantry.core.pipeline.WhenDef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pipeline's {@code environments}: deploy targets by name, each with the revisions {@code environment: auto}
 * sends to it ({@code when}) and how many release directories it keeps.
 */
final class EnvironmentsParser {

    /** The most release directories an environment may keep on disk. */
    static final int MAX_KEEP_RELEASES = 100;

    private EnvironmentsParser() {
    }

    static Map<String, EnvironmentDef> environments(YNode node) {
        Map<String, EnvironmentDef> environments = new LinkedHashMap<>();
        node.mapping(null).ifPresent(m -> m.forEach((name, def) ->
                environment(name, def).ifPresent(e -> environments.put(name, e))));
        return environments;
    }

    private static Optional<EnvironmentDef> environment(String name, YNode node) {
        if (!Patterns.POOL_NAME.matcher(name).matches()) {
            node.problem("invalid environment name '" + name + "': " + Patterns.POOL_RULE);
            return Optional.empty();
        }
        if (name.equals(DeployDef.AUTO)) {
            node.problem("'auto' cannot name an environment: 'environment: auto' means the environment whose"
                    + " 'when' matches the build's branch or tag; choose another name");
            return Optional.empty();
        }
        return node.mapping(Keys.ENVIRONMENT).map(keys -> {
            WhenDef when = Optional.ofNullable(keys.get("when")).map(WhenParser::when).orElse(WhenDef.ALWAYS);
            int keep = Optional.ofNullable(keys.get("keep_releases"))
                    .flatMap(n -> n.integer(1, MAX_KEEP_RELEASES)).orElse(EnvironmentDef.KEEP_RELEASES);
            String host = Optional.ofNullable(keys.get("host")).flatMap(EnvironmentsParser::host).orElse(null);
            return new EnvironmentDef(name, node.location(), when, keep, host);
        });
    }

    /** A Docker host's name, as {@code --docker-host NAME=...} gives it. */
    private static Optional<String> host(YNode node) {
        return node.nonBlank().filter(h -> {
            if (!h.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
                node.problem("invalid host '" + h + "': a Docker host's name, as given with --docker-host NAME=URL"
                        + " (lowercase letters, digits, '.', '_' and '-')");
                return false;
            }
            return true;
        });
    }
}

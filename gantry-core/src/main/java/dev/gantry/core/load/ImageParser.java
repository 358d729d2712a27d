package dev.gantry.core.load;

import dev.gantry.core.pipeline.ImageName;
import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.core.pipeline.Value;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code image:} under {@code defaults}, a job or a service: a name ({@code python:3.11-slim}, pulled if missing)
 * or {@code {name, pull, user, auth}}; a job may also say {@code none} to run as local processes. Whether a
 * service's image has a container to join is a whole-job rule, checked by
 * {@link dev.gantry.core.validate.PipelineValidator}.
 */
final class ImageParser {

    private static final Pattern USER = Pattern.compile(
            "[A-Za-z0-9_][A-Za-z0-9_.-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]*)?");
    private static final String NONE_ONLY_FOR_JOBS = "'image: none' is only for a job (its tasks then run as local"
            + " processes): leave image out here";

    private ImageParser() {
    }

    /** {@code defaults.image}; empty when left out or written wrongly (reported). */
    static Optional<ImageRef> defaults(YNode node) {
        return notNone(node);
    }

    /** A service's {@code image} (a job's or a deploy's); empty when left out or written wrongly (reported). */
    static Optional<ImageRef> service(YNode node) {
        return notNone(node);
    }

    /**
     * The image a job's tasks run in: its own ({@code node}), else {@code defaults}; null for {@code none}, or
     * when neither names one. An own image written wrongly is reported, and then the default stands in.
     */
    static ImageRef job(YNode node, ImageRef defaults) {
        if (node == null) {
            return defaults;
        }
        if (node.isScalar() && ImageName.NONE.equals(node.text().orElse(""))) {
            return null;
        }
        return image(node).orElse(defaults);
    }

    private static Optional<ImageRef> notNone(YNode node) {
        if (node == null) {
            return Optional.empty();
        }
        if (node.isScalar() && ImageName.NONE.equals(node.text().orElse(""))) {
            node.problem(NONE_ONLY_FOR_JOBS);
            return Optional.empty();
        }
        return image(node);
    }

    /**
     * The image written at {@code node}. A name that is not a valid reference is reported and still returned, so
     * that what depends on there being an image (a service's own) is not reported as well.
     */
    private static Optional<ImageRef> image(YNode node) {
        if (!node.isMapping()) {
            return name(node).map(n -> new ImageRef(n, ImageRef.Pull.IF_MISSING, null, null, node.location()));
        }
        return node.mapping(Keys.IMAGE).flatMap(keys -> {
            YNode nameNode = keys.get("name");
            if (nameNode == null && node.writtenKeyCount() == keys.size()) {
                node.problem("image needs 'name': the image to run, e.g. {name: python:3.11-slim, pull: never}");
            }
            Optional<String> name = Optional.ofNullable(nameNode).flatMap(ImageParser::name);
            ImageRef.Pull pull = Optional.ofNullable(keys.get("pull")).flatMap(n -> Choices.choice(n, "pull",
                    ImageRef.Pull.values(), ImageRef.Pull::word)).orElse(ImageRef.Pull.IF_MISSING);
            String user = Optional.ofNullable(keys.get("user")).flatMap(ImageParser::user).orElse(null);
            ImageRef.RegistryAuth auth = Optional.ofNullable(keys.get("auth")).flatMap(ImageParser::auth)
                    .orElse(null);
            return name.map(n -> new ImageRef(n, pull, user, auth, node.location()));
        });
    }

    private static Optional<String> name(YNode node) {
        return node.nonBlank().map(n -> {
            ImageName.problem(n).ifPresent(why -> node.problem("invalid image name '" + n + "': " + why
                    + (n.equals(ImageName.NONE) ? "" : "; " + ImageName.RULE)));
            return n;
        });
    }

    private static Optional<String> user(YNode node) {
        return node.nonBlank().filter(u -> {
            if (!USER.matcher(u).matches()) {
                node.problem("user '" + u + "' is not a user name or uid with an optional group name or gid, "
                        + "e.g. 1000:1000 or ci");
                return false;
            }
            return true;
        });
    }

    private static Optional<ImageRef.RegistryAuth> auth(YNode node) {
        return node.mapping(Keys.IMAGE_AUTH).flatMap(keys -> {
            boolean both = keys.containsKey("username") && keys.containsKey("password");
            if (!both && node.writtenKeyCount() == keys.size()) {
                node.problem("auth needs both 'username' and 'password' (e.g. password: {secret: registry-token})");
            }
            Optional<Value> username = Optional.ofNullable(keys.get("username"))
                    .flatMap(n -> EnvParser.value(n, "username"));
            Optional<Value> password = Optional.ofNullable(keys.get("password"))
                    .flatMap(n -> EnvParser.value(n, "password"));
            return username.flatMap(u -> password.map(p -> new ImageRef.RegistryAuth(u, p)));
        });
    }
}

package dev.gantry.docker.container;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.docker.host.DockerErrors;
import dev.gantry.docker.host.DockerHost;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Makes sure a task's image is on its host, by its {@code pull:} policy: {@code always} pulls before every task,
 * {@code if_missing} only when the host lacks it, {@code never} requires it there. Errors name the image and the
 * host.
 */
public final class Images {

    /** Docker's PATH for an image that sets none. */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final long PULL_TIMEOUT_MINUTES = 60;

    private Images() {
    }

    /** Returns the image's configuration on {@code host}, pulling it first when the policy says so. */
    public static InspectImageResponse ensure(DockerHost host, ImageRef image, Function<SecretRef, String> secrets)
            throws IOException {
        InspectImageResponse present = image.pull() == ImageRef.Pull.ALWAYS ? null : inspect(host, image);
        if (present == null && image.pull() != ImageRef.Pull.NEVER) {
            pull(host, image, secrets);
            present = inspect(host, image);
        }
        if (present == null) {
            throw new IOException("image " + image.name() + " is not on docker host " + host.name()
                    + (image.pull() == ImageRef.Pull.NEVER ? " and its pull policy is never: load it there (docker"
                    + " load, docker import) or set pull: if_missing" : " after pulling it"));
        }
        return present;
    }

    /** The PATH the image sets (Docker's default when it sets none). */
    static String path(InspectImageResponse image) {
        String[] env = image.getConfig() == null ? null : image.getConfig().getEnv();
        if (env != null) {
            for (String e : env) {
                if (e.startsWith("PATH=")) {
                    return e.substring(5);
                }
            }
        }
        return DEFAULT_PATH;
    }

    /** The names of the variables the image sets. */
    static java.util.Set<String> variables(InspectImageResponse image) {
        java.util.Set<String> names = new java.util.HashSet<>();
        String[] env = image.getConfig() == null ? null : image.getConfig().getEnv();
        if (env != null) {
            for (String e : env) {
                names.add(e.substring(0, Math.max(0, e.indexOf('='))));
            }
        }
        return names;
    }

    private static InspectImageResponse inspect(DockerHost host, ImageRef image) throws IOException {
        try {
            return host.client().inspectImageCmd(image.name()).exec();
        } catch (NotFoundException e) {
            return null;
        } catch (RuntimeException e) {
            throw DockerErrors.isConnectionLost(e) ? host.unreachable(e)
                    : new IOException("cannot inspect image " + image.name() + " on docker host " + host.name() + ": "
                    + DockerErrors.message(e), e);
        }
    }

    private static void pull(DockerHost host, ImageRef image, Function<SecretRef, String> secrets) throws IOException {
        var cmd = host.client().pullImageCmd(image.name());
        if (image.auth() != null) {
            cmd.withAuthConfig(new AuthConfig()
                    .withUsername(image.auth().username().resolve(secrets))
                    .withPassword(image.auth().password().resolve(secrets)));
        }
        try {
            if (!cmd.exec(new PullImageResultCallback()).awaitCompletion(PULL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                throw new IOException("pulling image " + image.name() + " on docker host " + host.name()
                        + " took more than " + PULL_TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pulling image " + image.name());
        } catch (RuntimeException e) {
            throw DockerErrors.isConnectionLost(e) ? host.unreachable(e)
                    : new IOException("cannot pull image " + image.name() + " on docker host " + host.name() + ": "
                    + DockerErrors.message(e), e);
        }
    }
}

package dev.gantry.docker.host;

import com.github.dockerjava.api.exception.DockerException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;

/** Turns what docker-java throws into one line a person can act on, and tells a lost host from a refusal. */
public final class DockerErrors {

    private DockerErrors() {
    }

    /** The engine's own message (without docker-java's status prefix and JSON), or the cause's. */
    public static String message(Throwable e) {
        if (e instanceof DockerException d) {
            String body = d.getMessage();
            int brace = body.indexOf("{\"message\":\"");
            if (brace >= 0) {
                String m = body.substring(brace + 12);
                int end = m.lastIndexOf("\"}");
                return end >= 0 ? m.substring(0, end).replace("\\\"", "\"") : m;
            }
            return body.replaceFirst("^Status \\d+: ", "").trim();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }

    /** Whether {@code e} means the engine could not be reached at all (not that it refused the request). */
    public static boolean isConnectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DockerException) {
                return false;
            }
            if (t instanceof ConnectException || t instanceof SocketException
                    || t instanceof java.nio.channels.ClosedChannelException
                    || (t instanceof IOException && t.getMessage() != null
                    && (t.getMessage().contains("No such file") || t.getMessage().contains("Connection refused")
                    || t.getMessage().contains("Broken pipe") || t.getMessage().contains("connection reset")))) {
                return true;
            }
        }
        return false;
    }
}

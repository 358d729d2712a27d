package dev.gantry.core.pipeline;

import java.time.Duration;
import java.util.Map;

/**
 * How Gantry decides a service is ready or still healthy, with Kubernetes' names and meanings.
 *
 * @param kind             which check; exactly one of {@code http}, {@code tcp}, {@code exec}, {@code log}
 * @param http             for {@code http}: the request and what the answer must be
 * @param tcpPort          for {@code tcp}: the port to connect to; 0 for the service's own port
 * @param exec             for {@code exec}: a script that must exit 0
 * @param log              for {@code log}: a regular expression a line of the service's output must match
 * @param successThreshold consecutive successes that make a service ready
 * @param failureThreshold consecutive failures that make a ready service unhealthy
 * @param startupTimeout   how long start-up may take; failures before it runs out don't count
 */
public record ProbeDef(Kind kind, HttpCheck http, int tcpPort, String exec, String log, Duration initialDelay,
                       Duration period, Duration timeout, int successThreshold, int failureThreshold,
                       Duration startupTimeout) {

    public static final Duration INITIAL_DELAY = Duration.ZERO;
    public static final Duration PERIOD = Duration.ofSeconds(2);
    public static final Duration TIMEOUT = Duration.ofSeconds(1);
    public static final int SUCCESS_THRESHOLD = 1;
    public static final int FAILURE_THRESHOLD = 3;
    public static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);

    /** The kinds of check, named as in YAML. */
    public enum Kind { HTTP, TCP, EXEC, LOG }

    /** A short description for reports: {@code http GET /health/ready}. */
    public String describe() {
        return switch (kind) {
            case HTTP -> "http " + http.method() + " " + http.target();
            case TCP -> "tcp " + (tcpPort == 0 ? "service port" : "port " + tcpPort);
            case EXEC -> "exec '" + exec + "'";
            case LOG -> "log /" + log + "/";
        };
    }

    /**
     * An HTTP check.
     *
     * @param target    a path on the service ({@code /health/ready}) or a full URL
     * @param json      top-level (or dotted) fields of a JSON answer and the values they must have, as text
     */
    public record HttpCheck(String target, String method, String body, int statusMin, int statusMax,
                            Map<String, String> json) {

        public HttpCheck {
            json = Map.copyOf(json);
        }
    }
}

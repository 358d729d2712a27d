package dev.gantry.core.load;

import java.util.List;

/**
 * The keys each object of the pipeline format accepts. The loader rejects anything else, and a test keeps
 * {@code docs/gantry.schema.json} listing exactly these.
 */
public final class Keys {

    public static final List<String> PIPELINE = List.of("name", "env", "defaults", "environments", "jobs",
            "notify", "retention");
    /** The pipeline's {@code retention}: how many builds and how many days of data a server keeps. */
    public static final List<String> RETENTION = List.of("builds", "days");
    public static final List<String> DEFAULTS = List.of("timeout", "shell", "grace_period", "image");
    public static final List<String> JOB = List.of("needs", "steps", "env", "timeout", "retry", "parallelism",
            "matrix", "when", "uses", "limits", "volumes", "services", "serial", "serial_groups", "max_in_flight",
            "on_success", "on_failure", "ensure", "deploy", "image");
    public static final List<String> VOLUME = List.of("path", "read_only");
    public static final List<String> LIMITS = List.of("memory", "gpu_memory");
    public static final List<String> RETRY = List.of("attempts", "on_exit_codes", "on_timeout");
    public static final List<String> WHEN = List.of("branches", "tags");
    public static final String MATRIX_EXCLUDE = "exclude";
    public static final List<String> SERVICE = List.of("command", "env", "working_directory", "depends_on",
            "ready", "live", "stop", "restart", "image");
    /** {@code image:} written as a mapping, under {@code defaults}, a job or a service. */
    public static final List<String> IMAGE = List.of("name", "pull", "user", "auth");
    public static final List<String> IMAGE_AUTH = List.of("username", "password");
    public static final List<String> PROBE = List.of("http", "tcp", "exec", "log", "initial_delay", "period",
            "timeout", "success_threshold", "failure_threshold", "startup_timeout");
    public static final List<String> HTTP_PROBE = List.of("path", "url", "method", "body", "status", "json");
    public static final List<String> STOP = List.of("signal", "grace_period");
    public static final List<String> AUDIO_CHECK = List.of("name", "files", "expect", "compare", "report");
    public static final List<String> AUDIO_COMPARE = List.of("metric", "a", "b", "at_least", "at_most", "within");
    public static final List<String> ARTIFACTS = List.of("paths", "name");
    public static final List<String> TEST_RESULTS = List.of("paths", "name");
    public static final List<String> SAVE_CACHE = List.of("key", "paths", "name", "shared");
    public static final List<String> RESTORE_CACHE = List.of("keys", "key", "name", "shared");
    public static final List<String> PERSIST = List.of("root", "paths");
    public static final List<String> ATTACH = List.of("at");
    public static final List<String> ENVIRONMENT = List.of("when", "keep_releases", "host");
    public static final List<String> DEPLOY = List.of("environment", "release", "service", "strategy", "gate",
            "gate_timeout", "rollback", "monitor");
    public static final List<String> RELEASE = List.of("files", "volumes");
    /** A deploy's {@code service}: the services vocabulary without {@code depends_on}, plus the stable port. */
    public static final List<String> DEPLOY_SERVICE = List.of("command", "env", "working_directory", "ready", "live",
            "stop", "port", "restart", "image");
    public static final List<String> RESTART = List.of("max", "within");
    /** A deploy's {@code monitor}: a probe (http, tcp or exec) and what a failure does. */
    public static final List<String> MONITOR = List.of("http", "tcp", "exec", "period", "timeout",
            "success_threshold", "failure_threshold", "on_failure");
    /** The channel an entry of {@code notify} names, its only key. */
    public static final List<String> NOTIFY = List.of("slack", "webhook", "email");
    public static final List<String> SLACK = List.of("url", "on");
    public static final List<String> WEBHOOK = List.of("url", "secret", "on");
    public static final List<String> EMAIL = List.of("smtp", "from", "to", "on");
    public static final List<String> SMTP = List.of("host", "port", "user", "password", "starttls");
    public static final List<String> RUN = List.of("command", "name", "env", "timeout", "working_directory",
            "no_output_timeout");
    public static final List<String> BATCH = List.of("name", "input", "service", "url", "request", "id", "output",
            "concurrency", "retries", "timeout", "flush", "retry_errors");
    /** A batch's {@code request:}, and the whole of a {@code gantry batch --request} file. */
    public static final List<String> BATCH_REQUEST = List.of("method", "path", "headers", "body");
    public static final List<String> BATCH_FLUSH = List.of("every", "after");

    private Keys() {
    }
}

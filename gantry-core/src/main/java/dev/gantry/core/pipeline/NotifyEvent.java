package dev.gantry.core.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a notification is about; the YAML and JSON name is the lower-case constant ({@code build_failed}). */
public enum NotifyEvent {
    /** A build failed after the previous build of the same pipeline and branch had not. */
    BUILD_FAILED,
    /** A build succeeded after the previous build of the same pipeline and branch had failed. */
    BUILD_FIXED,
    DEPLOY_SUCCEEDED,
    DEPLOY_FAILED,
    /** A candidate failed and the previous good release serves again. */
    DEPLOY_ROLLED_BACK,
    /** The live release failed its monitor probe {@code failure_threshold} times in a row. */
    MONITOR_FAILED,
    MONITOR_RECOVERED;

    /** The word for every event in {@code on}. */
    public static final String ALL = "all";

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<NotifyEvent> of(String yamlName) {
        return Arrays.stream(values()).filter(e -> e.yamlName().equals(yamlName)).findFirst();
    }

    public static List<String> yamlNames() {
        return Arrays.stream(values()).map(NotifyEvent::yamlName).toList();
    }
}

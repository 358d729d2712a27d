package dev.gantry.engine.notify;

import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.NotifyEvent;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.event.BuildListener;
import dev.gantry.engine.run.TaskState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a build's events into notifications: {@code build_failed} and {@code build_fixed} when the build's outcome
 * differs from the previous build of the same pipeline and branch, and {@code deploy_succeeded},
 * {@code deploy_failed} or {@code deploy_rolled_back} when a deploy step ends. It only hands them to the
 * {@link Notifier}, which sends them in the background: the build never waits for a receiver.
 *
 * <p>A build has failed when it ends {@code FAILED}, {@code ERRORED} or {@code TIMED_OUT}; it has succeeded when it
 * ends {@code SUCCEEDED}. A cancelled build is neither: it sends nothing, and the next build is compared with the
 * one before it. Monitor events do not come from builds; the server's supervisor sends them through
 * {@link Notifier#send} with {@link Notification#monitor}.
 */
public final class NotifyListener implements BuildListener {

    private final List<NotifyDef> channels;
    private final Notifier notifier;
    private final Function<SecretRef, String> secrets;
    private final PreviousBuilds previous;
    private final String baseUrl;
    private volatile BuildInfo build;

    /**
     * @param channels the pipeline's {@code notify} entries
     * @param baseUrl  the server's address ({@code https://ci.example}) for links to the build, or null for none
     */
    public NotifyListener(List<NotifyDef> channels, Notifier notifier, Function<SecretRef, String> secrets,
                          PreviousBuilds previous, String baseUrl) {
        this.channels = List.copyOf(channels);
        this.notifier = notifier;
        this.secrets = secrets;
        this.previous = previous;
        this.baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.replaceAll("/+$", "");
    }

    @Override
    public void on(BuildEvent event) {
        if (channels.isEmpty()) {
            return;
        }
        if (event instanceof BuildEvent.BuildStarted started) {
            build = started.build();
        } else if (event instanceof BuildEvent.DeployFinished deploy) {
            deployFinished(deploy);
        } else if (event instanceof BuildEvent.BuildFinished finished) {
            buildFinished(finished);
        }
    }

    /** Whether a build that ended in {@code state} counts as failed for {@code build_failed}. */
    public static boolean failed(TaskState state) {
        return state == TaskState.FAILED || state == TaskState.ERRORED || state == TaskState.TIMED_OUT;
    }

    private void buildFinished(BuildEvent.BuildFinished finished) {
        BuildInfo info = build;
        if (info == null || !wanted(NotifyEvent.BUILD_FAILED) && !wanted(NotifyEvent.BUILD_FIXED)) {
            return;
        }
        TaskState state = finished.state();
        if (!failed(state) && !state.isSuccess()) {
            return;
        }
        String branch = info.revision() == null ? null : info.revision().branch();
        Optional<TaskState> before = previous.previous(info.pipelineName(), branch, info.number());
        boolean wasFailing = before.map(NotifyListener::failed).orElse(false);
        NotifyEvent event;
        if (failed(state) && !wasFailing) {
            event = NotifyEvent.BUILD_FAILED;
        } else if (state.isSuccess() && wasFailing) {
            event = NotifyEvent.BUILD_FIXED;
        } else {
            return;
        }
        String tag = info.revision() == null ? null : info.revision().tag();
        String where = branch != null ? " on " + branch : tag != null ? " (tag " + tag + ")" : "";
        String message = event == NotifyEvent.BUILD_FAILED
                ? state.label() + where + before.map(s -> " (the previous build " + s.label() + ")")
                        .orElse(branch != null ? " (no earlier build of " + branch + ")" : "")
                : "succeeded" + where + " after a build that " + before.get().label();
        notifier.send(channels, new Notification(event, info.pipelineName(), info.number(), null, null,
                state.name().toLowerCase(java.util.Locale.ROOT), message, links(info), finished.at()), secrets);
    }

    private void deployFinished(BuildEvent.DeployFinished deploy) {
        NotifyEvent event = switch (deploy.outcome()) {
            case "succeeded" -> NotifyEvent.DEPLOY_SUCCEEDED;
            case "rolled_back" -> NotifyEvent.DEPLOY_ROLLED_BACK;
            default -> NotifyEvent.DEPLOY_FAILED;
        };
        BuildInfo info = build;
        StringBuilder message = new StringBuilder();
        if (deploy.reason() != null && !deploy.reason().isBlank()) {
            message.append(deploy.reason()).append("; ");
        }
        message.append(deploy.serving() == null ? "no release serves " + deploy.environment()
                : "release " + deploy.serving() + " serves " + deploy.environment());
        String pipeline = info != null ? info.pipelineName() : "?";
        Long number = info != null ? info.number() : null;
        notifier.send(channels, new Notification(event, pipeline, number, deploy.environment(), deploy.release(),
                deploy.outcome(), message.toString(), info != null ? links(info) : Map.of(), deploy.at()), secrets);
    }

    private boolean wanted(NotifyEvent event) {
        return channels.stream().anyMatch(c -> c.on().contains(event));
    }

    private Map<String, String> links(BuildInfo info) {
        Map<String, String> links = new LinkedHashMap<>();
        if (baseUrl != null) {
            links.put("build", baseUrl + "/pipelines/"
                    + URLEncoder.encode(info.pipelineName(), StandardCharsets.UTF_8).replace("+", "%20")
                    + "/builds/" + info.number());
        }
        return links;
    }
}

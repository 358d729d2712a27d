package dev.gantry.engine.secret;

import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildListener;
import dev.gantry.engine.run.Outcome;

/**
 * Masks secrets in every event before any listener sees it: the task log files, the store (and so the API, the
 * UI and the live stream), the console and the {@code --json} stream all read events, so masking here covers
 * them all. Every text a process or a report can put in an event passes through {@link SecretMasker}.
 */
final class MaskingListener implements BuildListener {

    private final SecretMasker masker;
    private final BuildListener next;

    MaskingListener(SecretMasker masker, BuildListener next) {
        this.masker = masker;
        this.next = next;
    }

    @Override
    public void on(BuildEvent event) {
        next.on(mask(event));
    }

    private BuildEvent mask(BuildEvent event) {
        if (event instanceof BuildEvent.LogLine e) {
            return new BuildEvent.LogLine(e.at(), e.task(), m(e.step()), m(e.line()));
        }
        if (event instanceof BuildEvent.ServiceLog e) {
            return new BuildEvent.ServiceLog(e.at(), e.task(), e.service(), m(e.line()));
        }
        if (event instanceof BuildEvent.StepStarted e) {
            return new BuildEvent.StepStarted(e.at(), e.task(), m(e.step()));
        }
        if (event instanceof BuildEvent.StepFinished e) {
            Outcome o = e.outcome();
            return new BuildEvent.StepFinished(e.at(), e.task(), m(e.step()),
                    o == null ? null : new Outcome(o.state(), o.exitCode(), m(o.reason())), e.duration());
        }
        if (event instanceof BuildEvent.TaskFinished e) {
            return new BuildEvent.TaskFinished(e.at(), e.task(), e.state(), e.attempts(), e.duration(), m(e.reason()));
        }
        if (event instanceof BuildEvent.ServiceReady e) {
            return new BuildEvent.ServiceReady(e.at(), e.task(), e.service(), e.startup(), m(e.probe()));
        }
        if (event instanceof BuildEvent.CacheUsed e) {
            return new BuildEvent.CacheUsed(e.at(), e.task(), e.action(), m(e.key()), e.bytes(), e.took());
        }
        if (event instanceof BuildEvent.TestResultsRecorded e) {
            return new BuildEvent.TestResultsRecorded(e.at(), e.task(), e.tests().stream().map(masker::maskTest).toList());
        }
        return event;
    }

    private String m(String text) {
        return masker.mask(text);
    }
}

package dev.gantry.server.http;

import dev.gantry.server.git.GitMirror;
import dev.gantry.store.BuildRow;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.Store;
import java.util.List;

/** A pipeline with its newest build, as the API and the pipelines page list it (no credentials shown). */
public record PipelineView(String name, String repository, String file, String branch, long checkEveryMs,
                           boolean webhook, BuildRow lastBuild) {

    public static PipelineView of(Store store, PipelineRow p) {
        List<BuildRow> last = store.builds().list(p.name(), null, 0, 1);
        return new PipelineView(p.name(), GitMirror.display(p.repository()), p.file(), p.branch(),
                p.checkEvery().toMillis(),
                p.webhookSecret() != null, last.isEmpty() ? null : last.get(0));
    }
}

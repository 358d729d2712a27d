package dev.gantry.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IsolatedListenerTest {

    @Test
    void aFailingListenerIsReportedOnceAndTheOthersStillSeeEveryEvent() {
        List<String> warnings = new ArrayList<>();
        List<BuildEvent> seen = new ArrayList<>();
        BuildListener failing = new IsolatedListener(e -> {
            throw new IllegalStateException("disk full");
        }, warnings::add);
        BuildListener both = BuildListener.all(List.of(failing, seen::add));
        BuildEvent line = new BuildEvent.LogLine(Instant.EPOCH, "t", "s", "hello");
        both.on(line);
        both.on(line);
        assertThat(seen).containsExactly(line, line);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).startsWith("gantry: warning: a build listener failed on LogLine")
                .contains("disk full");
    }
}

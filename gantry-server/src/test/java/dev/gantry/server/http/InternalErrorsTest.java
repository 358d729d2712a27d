package dev.gantry.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gantry.store.PipelineRow;
import dev.gantry.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the server's log says of a database error: the statement, never the values bound to it. */
class InternalErrorsTest {

    @TempDir
    Path tmp;

    @Test
    void describesADatabaseErrorWithoutItsBoundValues() {
        String secret = "S3cret-".repeat(40);
        Throwable failure;
        try (Store store = Store.embedded(tmp.resolve("db"))) {
            failure = catchThrowable(() -> store.pipelines().save(new PipelineRow("p", "/srv/repo", "gantry.yml",
                    "main", Duration.ofMinutes(1), secret, Instant.now())));
        }
        assertThat(failure).as("a secret longer than its column").isNotNull();
        assertThat(failure.toString()).as("what the old handler logged and answered").contains(secret);
        String described = InternalErrors.describe(failure);
        assertThat(described).contains("database error", "SQL state 22001", " pipelines ")
                .doesNotContain(secret).doesNotContain("S3cret");
    }

    @Test
    void describesOtherFailuresByTheirKindAndMessage() {
        assertThat(InternalErrors.describe(new IllegalStateException("no mirror"))).isEqualTo(
                "IllegalStateException: no mirror");
        assertThat(InternalErrors.newId()).hasSize(8).isNotEqualTo(InternalErrors.newId());
    }
}

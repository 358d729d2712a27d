package dev.gantry.store;

import java.time.Duration;
import java.time.Instant;

/**
 * A pipeline the server builds: where its repository is, which file and branch, how often to look for changes.
 *
 * @param repository    a git URL or a local path
 * @param webhookSecret the shared secret webhooks must prove (HMAC key for GitHub, token for GitLab); null for none
 */
public record PipelineRow(String name, String repository, String file, String branch, Duration checkEvery,
                          String webhookSecret, Instant addedAt) {
}

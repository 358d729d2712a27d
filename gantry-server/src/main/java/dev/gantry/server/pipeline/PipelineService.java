package dev.gantry.server.pipeline;

import dev.gantry.core.validate.Pipelines;
import dev.gantry.core.pipeline.Durations;
import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.server.ServerSettings;
import dev.gantry.server.http.ApiException;
import dev.gantry.server.build.BuildQueue;
import dev.gantry.server.git.GitMirror;
import dev.gantry.server.git.Mirrors;
import dev.gantry.server.trigger.Poller;
import dev.gantry.store.BuildRow;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Registering pipelines: a repository (git URL or local path), the pipeline file in it and the branch to watch.
 * Nothing is registered unless the branch exists and its pipeline file is valid; the first check then builds it.
 */
public final class PipelineService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** The longest value of each field the store keeps (its columns are no wider). */
    static final int MAX_REPOSITORY = 2048;
    static final int MAX_NAME = 100;
    static final int MAX_FILE = 1024;
    static final int MAX_BRANCH = 255;
    static final int MAX_CHECK_EVERY = 64;
    static final int MAX_SECRET = 255;

    private final Store store;
    private final Mirrors mirrors;
    private final Poller poller;
    private final BuildQueue builds;
    private final ServerSettings settings;

    public PipelineService(Store store, Mirrors mirrors, Poller poller, BuildQueue builds, ServerSettings settings) {
        this.store = store;
        this.mirrors = mirrors;
        this.poller = poller;
        this.builds = builds;
        this.settings = settings;
    }

    /** What registering asks for; nulls take defaults (name from the repository, gantry.yml, main, 1m). */
    public record Registration(String repository, String name, String file, String branch, String checkEvery,
                               String webhookSecret) {
    }

    public PipelineRow add(Registration r) {
        if (r.repository() == null || r.repository().isBlank()) {
            throw ApiException.badRequest("'repository' is required: a git URL or a path on the server");
        }
        limit("repository", r.repository(), MAX_REPOSITORY);
        limit("name", r.name(), MAX_NAME);
        limit("file", r.file(), MAX_FILE);
        limit("branch", r.branch(), MAX_BRANCH);
        limit("check_every", r.checkEvery(), MAX_CHECK_EVERY);
        limit("webhook_secret", r.webhookSecret(), MAX_SECRET);
        String repository = localPathOrUrl(r.repository().trim());
        String name = r.name() != null ? r.name() : defaultName(repository);
        if (!NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid pipeline name '" + name + "': letters, digits, '.', '_' and '-',"
                    + " starting with a letter or digit, at most 100");
        }
        Duration every = settings.checkEvery();
        if (r.checkEvery() != null) {
            every = Durations.parse(r.checkEvery()).filter(d -> !d.isZero() && !d.isNegative())
                    .orElseThrow(() -> ApiException.badRequest("invalid check_every '" + r.checkEvery()
                            + "': write a duration such as 30s or 5m"));
            if (every.compareTo(Poller.MIN_CHECK_EVERY) < 0) {
                throw ApiException.badRequest("check_every '" + r.checkEvery() + "' is too short: polling a"
                        + " repository more often than every " + Poller.MIN_CHECK_EVERY.toSeconds() + "s would keep"
                        + " a core busy (use a webhook to build at once)");
            }
        }
        PipelineRow row = new PipelineRow(name, repository, r.file() != null ? r.file() : "gantry.yml",
                r.branch() != null ? r.branch() : "main", every, blankToNull(r.webhookSecret()),
                settings.engine().clock().instant());
        if (store.pipelines().find(name).isEmpty() && !store.builds().list(name, null, 0, 1).isEmpty()) {
            throw new ApiException(409, "this store already holds builds named '" + name + "' (from gantry run):"
                    + " choose another name for the pipeline");
        }
        validate(row);
        store.pipelines().save(row);
        poller.checkSoon(name, "poll");
        return row;
    }

    /** Queues a build of the branch's head now, changed or not. */
    public BuildRow trigger(PipelineRow pipeline) {
        GitMirror mirror = mirrors.of(pipeline);
        try {
            String head = mirror.fetch().get("refs/heads/" + pipeline.branch());
            if (head == null) {
                throw new ApiException(409, "the repository has no branch '" + pipeline.branch() + "'");
            }
            return builds.enqueue(new BuildQueue.Request(pipeline, mirror.commit(head), pipeline.branch(), null,
                    "manual"));
        } catch (GitMirror.GitException e) {
            throw new ApiException(502, e.getMessage());
        }
    }

    private void validate(PipelineRow row) {
        GitMirror mirror = mirrors.of(row);
        String shown = GitMirror.display(row.repository());
        try {
            Map<String, String> refs = mirror.fetch();
            String head = refs.get("refs/heads/" + row.branch());
            if (head == null) {
                throw ApiException.badRequest("the repository " + shown + " has no branch '" + row.branch()
                        + "'" + (refs.isEmpty() ? " (it has no branches at all)" : ""));
            }
            byte[] yaml = mirror.read(head, row.file()).orElseThrow(() -> ApiException.badRequest(
                    row.file() + " does not exist on branch " + row.branch() + " of " + shown));
            Pipelines.load(row.file(), yaml, settings.pools());
        } catch (GitMirror.GitException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (PipelineException e) {
            throw ApiException.badRequest("the pipeline file is invalid on branch " + row.branch() + ":\n"
                    + e.getMessage());
        }
    }

    /** Refuses a value longer than its field allows, naming the field and the limit but never the value. */
    private static void limit(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw ApiException.badRequest("'" + field + "' is too long: " + value.length() + " characters, at most "
                    + max);
        }
    }

    private static String localPathOrUrl(String repository) {
        if (repository.contains("://") || repository.matches("[^/]+@[^:]+:.*")) {
            return repository;
        }
        Path p = Path.of(repository).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw ApiException.badRequest("no repository at " + p + " (a path on the server, or a git URL)");
        }
        return p.toString();
    }

    private static String defaultName(String repository) {
        String last = repository.replaceAll("[/\\\\]+$", "");
        last = last.substring(Math.max(last.lastIndexOf('/'), last.lastIndexOf(':')) + 1);
        return last.endsWith(".git") ? last.substring(0, last.length() - 4) : last;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

package dev.gantry.engine.step;

import dev.gantry.core.cache.CacheKeys;
import dev.gantry.core.pipeline.Durations;
import dev.gantry.core.pipeline.RestoreCacheStep;
import dev.gantry.core.pipeline.SaveCacheStep;
import dev.gantry.core.pipeline.Sizes;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.engine.cache.CacheArchive;
import dev.gantry.engine.cache.CacheNamespace;
import dev.gantry.engine.cache.CacheStore;
import dev.gantry.engine.cache.Caches;
import dev.gantry.engine.cache.TaskKeyContext;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.run.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The {@code save_cache} and {@code restore_cache} step runners. */
final class CacheRunners {

    private CacheRunners() {
    }

    /** The key; never one that holds a secret's value, which would be written, unmasked, into a file name. */
    private static String render(String template, StepContext ctx) throws IOException {
        String key = CacheKeys.render(template, new TaskKeyContext(ctx.workingDirectory(), ctx.environment(),
                Clock.systemUTC()));
        if (!ctx.masker().mask(key).equals(key)) {
            throw new IOException("the key '" + template + "' holds a secret's value; key the cache on something"
                    + " that is not secret (a checksum, a version)");
        }
        return key;
    }

    private static void report(StepContext ctx, String action, String key, Long bytes, long startNanos) {
        ctx.report(new BuildEvent.CacheUsed(Instant.now(), ctx.taskName(), action, key, bytes,
                Duration.ofNanos(System.nanoTime() - startNanos)));
    }

    static final class Save implements StepRunner {

        @Override
        public String type() {
            return SaveCacheStep.TYPE;
        }

        @Override
        public Outcome run(StepDef def, StepContext ctx) {
            SaveCacheStep step = (SaveCacheStep) def;
            long t0 = System.nanoTime();
            try {
                String key = render(step.key(), ctx);
                CacheStore store = CacheNamespace.of(ctx.pipelineName(), step.shared())
                        .view(Caches.store(ctx.environment()));
                String cache = step.shared() ? "shared cache " : "cache ";
                if (store.contains(key)) {
                    ctx.output(cache + key + " exists; not saved again (keys are immutable)");
                    report(ctx, "exists", key, store.size(key), t0);
                    return Outcome.SUCCESS;
                }
                Path home = Caches.home(ctx.environment());
                if (CacheArchive.missing(ctx.workingDirectory(), home, step.paths()).size() == step.paths().size()) {
                    ctx.output("nothing to save: none of " + String.join(", ", step.paths()) + " exists; " + cache
                            + key + " not saved");
                    report(ctx, "skipped", key, null, t0);
                    return Outcome.SUCCESS;
                }
                AtomicReference<List<String>> missing = new AtomicReference<>(List.of());
                Optional<Long> size = store.save(key, out ->
                        missing.set(CacheArchive.write(out, ctx.workingDirectory(), home, step.paths())));
                if (!missing.get().isEmpty()) {
                    ctx.output("not found, not saved: " + String.join(", ", missing.get()));
                }
                if (size.isEmpty()) {
                    ctx.output(cache + key + " was saved by another task meanwhile; not saved again");
                    report(ctx, "exists", key, store.size(key), t0);
                } else {
                    report(ctx, "saved", key, size.get(), t0);
                    ctx.output("saved " + cache + key + " (" + Sizes.format(size.get()) + ") in "
                            + Durations.format(Duration.ofNanos(System.nanoTime() - t0)));
                    store.evictToFit(Caches.limit(ctx.environment()));
                }
                return Outcome.SUCCESS;
            } catch (IOException | UncheckedIOException e) {
                return Outcome.errored("cannot save the cache: " + e.getMessage());
            }
        }
    }

    static final class Restore implements StepRunner {

        @Override
        public String type() {
            return RestoreCacheStep.TYPE;
        }

        @Override
        public Outcome run(StepDef def, StepContext ctx) {
            RestoreCacheStep step = (RestoreCacheStep) def;
            long t0 = System.nanoTime();
            try {
                CacheStore store = CacheNamespace.of(ctx.pipelineName(), step.shared())
                        .view(Caches.store(ctx.environment()));
                String cache = step.shared() ? "shared cache " : "cache ";
                List<String> keys = new java.util.ArrayList<>();
                for (String template : step.keys()) {
                    keys.add(render(template, ctx));
                }
                for (String key : keys) {
                    Optional<String> found = store.contains(key) ? Optional.of(key) : store.newestWithPrefix(key);
                    if (found.isPresent()) {
                        int files;
                        try (InputStream in = store.open(found.get())) {
                            files = CacheArchive.extract(in, ctx.workingDirectory(), Caches.home(ctx.environment()),
                                    found.get());
                        }
                        ctx.output("restored " + cache + found.get() + (found.get().equals(key) ? "" : " (prefix " + key
                                + ")") + ": " + files + " files, " + Sizes.format(store.size(found.get())) + " in "
                                + Durations.format(Duration.ofNanos(System.nanoTime() - t0)));
                        report(ctx, "restored", found.get(), store.size(found.get()), t0);
                        return Outcome.SUCCESS;
                    }
                }
                String tried = String.join(", ", keys);
                ctx.output("no " + cache + "found for " + tried);
                report(ctx, "missed", tried, null, t0);
                return Outcome.SUCCESS;
            } catch (CacheArchive.HostileEntryException e) {
                return Outcome.errored(e.getMessage());
            } catch (IOException | UncheckedIOException e) {
                return Outcome.errored("cannot restore the cache: " + e.getMessage());
            }
        }
    }
}

package dev.gantry.engine.cache;

import dev.gantry.core.cache.CacheKeys;
import dev.gantry.engine.workspace.Globs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Renders cache keys for a task: checksums over its working copy, branch and revision from its environment. */
public final class TaskKeyContext implements CacheKeys.Context {

    private final Path dir;
    private final Map<String, String> env;
    private final Clock clock;

    public TaskKeyContext(Path dir, Map<String, String> env, Clock clock) {
        this.dir = dir;
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    @Override
    public String checksum(String fileOrGlob) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            List<String> files = Globs.files(dir, List.of(fileOrGlob));
            for (String f : files) {
                d.update(f.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
                d.update(Files.readAllBytes(dir.resolve(f)));
            }
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot checksum " + fileOrGlob, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String branch() {
        return env.get("GANTRY_BRANCH");
    }

    @Override
    public String revision() {
        return env.get("GANTRY_COMMIT");
    }

    @Override
    public Map<String, String> environment() {
        return env;
    }

    @Override
    public String arch() {
        return System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + "-" + System.getProperty("os.arch");
    }

    @Override
    public long epochSeconds() {
        return clock.instant().getEpochSecond();
    }
}

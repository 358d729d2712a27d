package dev.gantry.engine.record;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gantry's state beside a pipeline: {@code .gantry/builds/N/} holds build N's record, logs and (while it runs)
 * its working copies. Build numbers are taken by creating the directory, so two concurrent runs never share one.
 */
public final class StateDirectory {

    private final Path root;

    public StateDirectory(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path builds() {
        return root.resolve("builds");
    }

    /** Creates the next build's directory and returns its number and path. */
    public NewBuild newBuild() throws IOException {
        Files.createDirectories(builds());
        Path ignore = root.resolve(".gitignore");
        if (!Files.exists(ignore)) {
            Files.writeString(ignore, "# Gantry's local state: builds, logs, working copies\n*\n");
        }
        long next = highestNumber() + 1;
        while (true) {
            Path dir = builds().resolve(Long.toString(next));
            try {
                Files.createDirectory(dir);
                return new NewBuild(next, dir);
            } catch (FileAlreadyExistsException e) {
                next++;
            }
        }
    }

    private long highestNumber() throws IOException {
        long max = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(builds())) {
            for (Path d : dirs) {
                try {
                    max = Math.max(max, Long.parseLong(d.getFileName().toString()));
                } catch (NumberFormatException e) {
                    // not a build directory
                }
            }
        }
        return max;
    }

    /** A build's number and directory. */
    public record NewBuild(long number, Path dir) {
    }
}

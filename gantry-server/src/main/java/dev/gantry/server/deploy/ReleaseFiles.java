package dev.gantry.server.deploy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a release's directory keeps for people: the gate's output and its service's log. Only those two names are
 * read, only as regular files that really lie inside the directory (a link planted by the release's own process
 * cannot make the server read anything else), and only their last {@link #TAIL_BYTES}.
 */
public final class ReleaseFiles {

    public static final String GATE_LOG = "gate.log";
    public static final String SERVICE_LOG = "service.log";
    static final int TAIL_BYTES = 256 * 1024;

    private final Path directory;

    public ReleaseFiles(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    public boolean exists() {
        return Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS);
    }

    /** The gate's output, if the directory still has it. */
    public Optional<Tail> gateOutput() {
        return tail(GATE_LOG);
    }

    /** The service's output (a failed candidate's last words), if the directory still has it. */
    public Optional<Tail> serviceLog() {
        return tail(SERVICE_LOG);
    }

    /**
     * A log's last lines.
     *
     * @param truncated true when earlier lines were left out
     */
    public record Tail(List<String> lines, boolean truncated) {
    }

    private Optional<Tail> tail(String name) {
        try {
            if (!exists()) {
                return Optional.empty();
            }
            Path root = directory.toRealPath();
            Path file = directory.resolve(name);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !file.toRealPath().startsWith(root)) {
                return Optional.empty();
            }
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                long length = in.length();
                long from = Math.max(0, length - TAIL_BYTES);
                byte[] bytes = new byte[(int) (length - from)];
                in.seek(from);
                in.readFully(bytes);
                List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1));
                if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                    lines = lines.subList(0, lines.size() - 1);
                }
                if (from > 0 && !lines.isEmpty()) {
                    lines = lines.subList(1, lines.size());
                }
                return Optional.of(new Tail(List.copyOf(lines), from > 0));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

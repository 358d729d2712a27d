package dev.gantry.server.deploy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
            // NOFOLLOW_LINKS on the open itself: a link swapped in after the check above is refused, not followed
            try (SeekableByteChannel in = Files.newByteChannel(file, Set.of(StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS))) {
                long length = in.size();
                long from = Math.max(0, length - TAIL_BYTES);
                ByteBuffer buffer = ByteBuffer.allocate((int) (length - from));
                in.position(from);
                while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                    // read what the file has up to the length seen
                }
                byte[] bytes = Arrays.copyOf(buffer.array(), buffer.position());
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

package dev.gantry.engine.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test helper: live processes whose command line contains a text, read straight from {@code /proc}. */
public final class LeftoverProcesses {

    private LeftoverProcesses() {
    }

    public static List<String> matching(String text) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
                    String cmd = new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (state != 'Z' && cmd.contains(text)) {
                        found.add(d.getFileName() + ": " + cmd);
                    }
                } catch (IOException e) {
                    // the process ended while we looked
                }
            }
        }
        return found;
    }
}

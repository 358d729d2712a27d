package dev.gantry.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code gantry tests run}: runs a test command for one batch of tests: {@code {}} as an argument becomes the tests, inside one their comma list. */
final class TestBatchCommand {

    private TestBatchCommand() {
    }

    static List<String> expand(List<String> command, List<String> batch) {
        List<String> argv = new ArrayList<>();
        for (String arg : command) {
            if (arg.equals("{}")) {
                argv.addAll(batch);
            } else {
                argv.add(arg.replace("{}", String.join(",", batch)));
            }
        }
        return argv;
    }

    /** Runs it with this process's output and returns its exit code. */
    static int run(List<String> command, List<String> batch, Main main) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(expand(command, batch)).inheritIO().start();
        return p.waitFor();
    }
}

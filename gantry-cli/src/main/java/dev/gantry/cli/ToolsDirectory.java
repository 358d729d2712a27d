package dev.gantry.cli;

import dev.gantry.engine.record.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes {@code .gantry/bin/gantry}, a launcher for this very CLI, which the engine puts first on every task's
 * PATH: steps can call {@code gantry tests split} as CircleCI's steps call {@code circleci}.
 */
final class ToolsDirectory {

    private ToolsDirectory() {
    }

    static Path write(Path stateDir) throws IOException {
        Path bin = Files.createDirectories(stateDir.resolve("bin"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "#!/bin/sh\n# Written by gantry run: the gantry command for this pipeline's steps.\n"
                + "exec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + Main.class.getName() + " \"$@\"\n";
        Path launcher = bin.resolve("gantry");
        AtomicFiles.write(launcher, script.getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }
}

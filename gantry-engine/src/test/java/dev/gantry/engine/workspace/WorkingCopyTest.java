package dev.gantry.engine.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each task works in a private copy of the working tree as it is on disk, .gitignore respected. */
class WorkingCopyTest {

    @TempDir
    Path repo;

    @Test
    void concurrentTasksNeverSeeEachOthersFiles() throws Exception {
        var r = new BuildFixture(repo).concurrency(3).run("""
                jobs:
                  write:
                    parallelism: 3
                    steps:
                      - run: echo "mine is $GANTRY_NODE_INDEX" > shared-name.txt
                      - run: sleep 0.5
                      - run: cat shared-name.txt; find . -name 'out-*' | wc -l
                      - run: touch "out-$GANTRY_NODE_INDEX"
                """);
        assertThat(r.result().state()).isEqualTo(TaskState.SUCCEEDED);
        for (int i = 0; i < 3; i++) {
            assertThat(r.output("write[" + i + "]")).containsExactly("mine is " + i, "0");
        }
        assertThat(repo.resolve("shared-name.txt")).as("the source tree is untouched").doesNotExist();
        assertThat(repo.resolve(".gantry/builds/1/work")).as("working copies are removed").doesNotExist();
    }

    @Test
    void copiesUncommittedAndUntrackedChangesButNotIgnoredFiles() throws Exception {
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve(".gitignore"), "*.log\nbuild/\n");
            Files.writeString(repo.resolve("app.py"), "print('committed')\n");
            Files.createDirectories(repo.resolve("src"));
            Files.writeString(repo.resolve("src/lib.py"), "x = 1\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("initial").setSign(false).call();
            git.tag().setName("v1.0").call();
        }
        Files.writeString(repo.resolve("app.py"), "print('changed, not committed')\n");
        Files.writeString(repo.resolve("new.py"), "untracked\n");
        Files.writeString(repo.resolve("debug.log"), "ignored\n");
        Files.createDirectories(repo.resolve("build"));
        Files.writeString(repo.resolve("build/big.bin"), "ignored\n");

        var r = new BuildFixture(repo).run("""
                jobs:
                  look:
                    steps:
                      - run: |
                          cat app.py
                          find . -type f -not -path './.git/*' | sort
                          echo "$GANTRY_BRANCH $GANTRY_TAG ${#GANTRY_COMMIT}"
                """);
        assertThat(r.result().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output("look")).containsExactly(
                "print('changed, not committed')",
                "./.gitignore", "./app.py", "./gantry.yml", "./new.py", "./src/lib.py",
                "main v1.0 40");
    }

    @Test
    void pipelineInASubdirectoryRunsThereWithTheWholeRepositoryAround() throws Exception {
        try (Git git = Git.init().setDirectory(repo.toFile()).call()) {
            Files.writeString(repo.resolve("README.md"), "top\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("initial").setSign(false).call();
        }
        Path sub = Files.createDirectories(repo.resolve("services/tts"));
        var r = new BuildFixture(sub).run("""
                jobs:
                  where:
                    steps:
                      - run: basename "$PWD"; cat ../../README.md
                """);
        assertThat(r.output("where")).containsExactly("tts", "top");
    }
}

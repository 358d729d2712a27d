package dev.gantry.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** A real git repository in a temporary directory that tests commit and tag in. */
final class GitRepo implements AutoCloseable {

    private final Path dir;
    private final Git git;

    GitRepo(Path dir) {
        this.dir = dir;
        try {
            this.git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Writes the file and commits everything; returns the commit's id. */
    String commit(String file, String content, String message) {
        try {
            Path f = dir.resolve(file);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content);
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("Ada Lovelace", "ada@example.com");
            return git.commit().setMessage(message).setAuthor(who).setCommitter(who).call().name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    void tag(String name) {
        try {
            git.tag().setName(name).setAnnotated(true).setMessage("release " + name).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}

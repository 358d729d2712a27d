package dev.gantry.engine.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The files a task's working copy is made of: inside a git repository, the working tree as it is on disk
 * (tracked files plus untracked ones that {@code .gitignore} does not exclude), so uncommitted changes are
 * tested; elsewhere, the pipeline's directory. Gantry's own {@code .gantry/} state is never part of it.
 *
 * @param root         the directory the files are relative to (the repository's work tree)
 * @param pipelineDir  the pipeline file's directory relative to {@code root}, where steps start
 */
public record SourceTree(Path root, Path pipelineDir, List<Path> files) {

    public SourceTree {
        files = List.copyOf(files);
    }

    /** Lists the source around a pipeline directory once per build; every task copies from the list. */
    public static SourceTree scan(Path pipelineDirectory) throws IOException {
        Path dir = pipelineDirectory.toAbsolutePath().normalize();
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toFile());
        if (builder.getGitDir() != null) {
            try (Repository repo = builder.build()) {
                if (!repo.isBare()) {
                    Path root = repo.getWorkTree().toPath().toAbsolutePath().normalize();
                    return new SourceTree(root, root.relativize(dir), gitFiles(repo, root));
                }
            }
        }
        return new SourceTree(dir, Path.of(""), walk(dir));
    }

    private static List<Path> gitFiles(Repository repo, Path root) throws IOException {
        Set<String> names = new TreeSet<>();
        DirCache index = repo.readDirCache();
        for (int i = 0; i < index.getEntryCount(); i++) {
            names.add(index.getEntry(i).getPathString());
        }
        try (Git git = new Git(repo)) {
            names.addAll(git.status().call().getUntracked());
        } catch (GitAPIException e) {
            throw new IOException("cannot read the git status of " + root + ": " + e.getMessage(), e);
        }
        List<Path> files = new ArrayList<>();
        for (String name : names) {
            Path rel = Path.of(name);
            if (!isGantryState(rel) && Files.exists(root.resolve(rel), LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(root.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
                files.add(rel);
            }
        }
        return files;
    }

    private static List<Path> walk(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                String name = d.getFileName() == null ? "" : d.getFileName().toString();
                return !d.equals(dir) && (name.equals(".gantry") || name.equals(".git"))
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                files.add(dir.relativize(f));
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    private static boolean isGantryState(Path rel) {
        for (Path part : rel) {
            if (part.toString().equals(".gantry")) {
                return true;
            }
        }
        return false;
    }

    /** Copies every file into {@code target}, keeping permissions and symbolic links as they are. */
    public void copyTo(Path target) throws IOException {
        Files.createDirectories(target);
        Set<Path> made = new java.util.HashSet<>();
        try {
            for (Path rel : files) {
                Path dst = target.resolve(rel);
                Path parent = dst.getParent();
                if (made.add(parent)) {
                    Files.createDirectories(parent);
                }
                Files.copy(root.resolve(rel), dst, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            }
            Files.createDirectories(target.resolve(pipelineDir));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}

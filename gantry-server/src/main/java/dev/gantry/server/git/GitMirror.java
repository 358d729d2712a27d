package dev.gantry.server.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A bare copy of a pipeline's repository under the server's data directory, fetched on every check: its refs say
 * what changed, its objects give each build a clean checkout without going back to the remote.
 */
public final class GitMirror {

    private final String remote;
    private final Path dir;

    public GitMirror(String remote, Path dir) {
        this.remote = remote;
        this.dir = dir;
    }

    public String remote() {
        return remote;
    }

    /**
     * A repository's address as it may be shown (pages, API, logs): credentials in it
     * ({@code https://user:token@host/...}) replaced by {@code ***}.
     */
    public static String display(String remote) {
        return remote == null ? null : remote.replaceAll("://[^/@]+@", "://***@");
    }

    /** A commit's identity and what a build page shows of it. */
    public record CommitInfo(String sha, String author, String message) {
    }

    /** Fetches every branch and tag (pruning deleted ones) and returns each ref with the commit it points at. */
    public synchronized Map<String, String> fetch() throws GitException {
        try {
            if (!Files.isDirectory(dir.resolve("objects"))) {
                Files.createDirectories(dir);
                Git.init().setBare(true).setDirectory(dir.toFile()).call().close();
            }
            try (Git git = Git.open(dir.toFile())) {
                git.fetch().setRemote(remote).setRemoveDeletedRefs(true)
                        .setTagOpt(org.eclipse.jgit.transport.TagOpt.NO_TAGS)
                        .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                        .call();
                Map<String, String> refs = new LinkedHashMap<>();
                Repository repo = git.getRepository();
                for (Ref ref : repo.getRefDatabase().getRefs()) {
                    if (!ref.getName().startsWith("refs/heads/") && !ref.getName().startsWith("refs/tags/")) {
                        continue;
                    }
                    Ref peeled = repo.getRefDatabase().peel(ref);
                    ObjectId id = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : ref.getObjectId();
                    refs.put(ref.getName(), id.name());
                }
                return refs;
            }
        } catch (IOException | GitAPIException e) {
            throw new GitException("cannot fetch " + display(remote) + ": " + display(e.getMessage()));
        }
    }

    /** The file at {@code path} in commit {@code sha}, if it has one. */
    public synchronized Optional<byte[]> read(String sha, String path) throws GitException {
        try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
            try (TreeWalk tree = TreeWalk.forPath(repo, path, commit.getTree())) {
                if (tree == null) {
                    return Optional.empty();
                }
                ObjectLoader loader = repo.open(tree.getObjectId(0));
                return Optional.of(loader.getBytes());
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new GitException("cannot read " + path + " at " + sha + ": " + e.getMessage());
        }
    }

    public synchronized CommitInfo commit(String sha) throws GitException {
        try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(sha));
            return new CommitInfo(c.name(), c.getAuthorIdent().getName() + " <" + c.getAuthorIdent().getEmailAddress()
                    + ">", c.getShortMessage());
        } catch (IOException | IllegalArgumentException e) {
            throw new GitException("cannot read commit " + sha + ": " + e.getMessage());
        }
    }

    /** A fresh working tree of {@code sha} in {@code target} (which must not exist), cloned from the mirror. */
    public void checkout(String sha, Path target) throws GitException {
        try (Git git = Git.init().setDirectory(target.toFile()).call()) {
            git.fetch().setRemote(dir.toUri().toString()).setTagOpt(org.eclipse.jgit.transport.TagOpt.NO_TAGS)
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"),
                            new RefSpec("+refs/tags/*:refs/tags/*")).call();
            git.checkout().setName(sha).call();
        } catch (GitAPIException e) {
            throw new GitException("cannot check out " + sha + ": " + e.getMessage());
        }
    }

    private Repository open() throws IOException {
        return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
    }

    /** A git operation failed; the message says which and why. */
    public static final class GitException extends Exception {
        public GitException(String message) {
            super(message);
        }
    }
}

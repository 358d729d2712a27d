package dev.gantry.engine.git;

import dev.gantry.core.plan.Revision;
import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Reads the commit, branch and tag of the git repository a pipeline lives in (all null outside one). */
public final class RevisionReader {

    private RevisionReader() {
    }

    public static Revision read(Path directory) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(directory.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            return Revision.NONE;
        }
        try (Repository repo = builder.build()) {
            ObjectId head = repo.resolve(Constants.HEAD);
            String full = repo.getFullBranch();
            String branch = full != null && full.startsWith(Constants.R_HEADS)
                    ? full.substring(Constants.R_HEADS.length()) : null;
            String tag = null;
            if (head != null) {
                for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                    Ref peeled = repo.getRefDatabase().peel(ref);
                    ObjectId target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId()
                            : peeled.getObjectId();
                    if (head.equals(target)) {
                        tag = ref.getName().substring(Constants.R_TAGS.length());
                    }
                }
            }
            return new Revision(head == null ? null : head.name(), branch, tag);
        } catch (IOException e) {
            return Revision.NONE;
        }
    }
}

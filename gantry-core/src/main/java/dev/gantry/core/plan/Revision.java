package dev.gantry.core.plan;

/** What is being built: any of the parts may be null (outside a git repository, detached head, no tag). */
public record Revision(String commit, String branch, String tag) {

    public static final Revision NONE = new Revision(null, null, null);
}

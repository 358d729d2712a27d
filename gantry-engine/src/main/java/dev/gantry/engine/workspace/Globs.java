package dev.gantry.engine.workspace;

import dev.gantry.core.glob.Glob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds files by user-written paths inside a directory and never outside it: globs in {@link Glob}'s dialect
 * ({@code out/*.wav}, {@code **}{@code /*.xml}, where {@code **} also matches no directory at all), plain files, and
 * directories (every file below). Links that lead out are skipped. Every user of file globs goes through here.
 */
public final class Globs {

    private Globs() {
    }

    /**
     * Matching regular files, relative to {@code dir}, sorted.
     *
     * @throws Glob.InvalidGlobException when a pattern is malformed, before anything is walked
     */
    public static List<String> files(Path dir, List<String> patterns) throws IOException {
        patterns.stream().filter(Glob::isPattern).forEach(Glob::new);
        Path root = dir.toRealPath();
        TreeSet<String> found = new TreeSet<>();
        for (String written : patterns) {
            String pattern = written.startsWith("./") ? written.replaceFirst("^(\\./)+", "") : written;
            boolean glob = Glob.isPattern(pattern);
            Path literal = root.resolve(pattern).normalize();
            if (!glob && Files.isRegularFile(literal)) {
                addIfInside(root, root.relativize(literal), found);
                continue;
            }
            if (!glob && !Files.isDirectory(literal)) {
                continue;
            }
            Glob m = glob ? new Glob(pattern) : null;
            Path base = glob ? root.resolve(literalPrefix(pattern)).normalize() : literal;
            if (!base.startsWith(root) || !Files.isDirectory(base)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(base)) {
                for (Path p : walk.filter(Files::isRegularFile).map(root::relativize).toList()) {
                    if (m == null || m.matches(p.toString())) {
                        addIfInside(root, p, found);
                    }
                }
            }
        }
        return new ArrayList<>(found);
    }

    /**
     * The directories a glob names before its first wildcard ({@code target/surefire-reports} for
     * {@code target/surefire-reports/*.xml}): only they need walking, not the whole working copy.
     */
    static String literalPrefix(String glob) {
        StringBuilder prefix = new StringBuilder();
        String[] parts = glob.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (Glob.isPattern(parts[i])) {
                break;
            }
            prefix.append(parts[i]).append('/');
        }
        return prefix.toString();
    }

    private static void addIfInside(Path root, Path rel, TreeSet<String> found) {
        try {
            if (root.resolve(rel).toRealPath().startsWith(root)) {
                found.add(rel.toString());
            }
        } catch (IOException e) {
            // a dangling link: nothing to keep
        }
    }
}

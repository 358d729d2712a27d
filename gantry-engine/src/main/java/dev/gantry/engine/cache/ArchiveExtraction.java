package dev.gantry.engine.cache;

import dev.gantry.engine.cache.CacheArchive.HostileEntryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * One restore of a cache archive, in three phases, so that an archive that is refused changes nothing on disk:
 * <ol>
 * <li>every entry is checked by name alone and written into a fresh staging directory inside its base (the
 * working copy or home): names must stay below their base without {@code ..}; no entry may lie beneath a link
 * or a file the archive itself creates; a hard link must name an earlier file of the archive; devices, fifos and
 * other special entries are refused. Symbolic links are recreated as they are: their targets are data (a
 * virtualenv's {@code bin/python3 -> /usr/bin/python3}), never followed while extracting;</li>
 * <li>every entry's destination is checked on disk without following links: no directory above it may be a
 * symbolic link (the restore would write through it), and nothing may replace a directory or put one over a
 * file or link;</li>
 * <li>only then is each staged entry moved into place, a rename within the same file system.</li>
 * </ol>
 */
final class ArchiveExtraction {

    private enum Kind { DIRECTORY, FILE, SYMLINK, HARD_LINK }

    /** Where an entry belongs: {@code base} is the working copy or home, {@code rel} a normalized relative path. */
    private record Placed(Base base, String rel, Kind kind, String name) {
    }

    private record Base(String prefix, Path dir, String description) {
    }

    private final String key;
    private final Base work;
    private final Base home;
    private final Map<String, Placed> entries = new LinkedHashMap<>();
    private final Map<Base, Path> staging = new LinkedHashMap<>();

    /** @param key names the archive in errors, e.g. {@code cache KEY} */
    ArchiveExtraction(Path workDir, Path homeDir, String key) {
        this.key = key;
        this.work = new Base("w/", workDir, "the working copy");
        this.home = new Base("h/", homeDir, "the home directory");
    }

    /** Extracts the archive; returns the number of files written. */
    int run(InputStream tarStream) throws IOException {
        try {
            stage(tarStream);
            for (Placed p : entries.values()) {
                checkDestination(p);
            }
            return place();
        } finally {
            removeStaging();
        }
    }

    private void stage(InputStream in) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            String name = e.getName();
            Kind kind = kindOf(e);
            if (kind == null) {
                throw hostile("holds '" + name + "', which is neither a file, a directory nor a link");
            }
            Placed p = locate(name, kind);
            if (p == null) {
                continue;
            }
            Path staged = stagingOf(p.base()).resolve(p.rel());
            directories(staged.getParent());
            switch (kind) {
                case DIRECTORY -> directories(staged);
                case FILE -> {
                    try (java.io.OutputStream out = Files.newOutputStream(staged)) {
                        tar.transferTo(out); // in the tar stream's large reads (the file's own blocks)
                    }
                    if ((e.getMode() & 0100) != 0 && !staged.toFile().setExecutable(true)) {
                        throw new IOException("cannot make " + staged + " executable");
                    }
                }
                case SYMLINK -> {
                    Path target = linkTarget(name, e.getLinkName());
                    Files.deleteIfExists(staged);
                    Files.createSymbolicLink(staged, target);
                }
                case HARD_LINK -> {
                    Placed target = entries.get(normalizedName(e.getLinkName()));
                    if (target == null || target.base() != p.base()
                            || (target.kind() != Kind.FILE && target.kind() != Kind.HARD_LINK)) {
                        throw hostile("holds a hard link '" + name + "' to '" + e.getLinkName()
                                + "', which is not a file of this archive");
                    }
                    Files.deleteIfExists(staged);
                    Files.createLink(staged, stagingOf(p.base()).resolve(target.rel()));
                }
                default -> throw new IllegalStateException(kind.toString());
            }
            entries.put(p.base().prefix() + p.rel(), p);
        }
    }

    /** What an entry is; null for devices, fifos and anything else a cache has no use for. */
    private static Kind kindOf(TarArchiveEntry e) {
        if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            return null;
        }
        if (e.isDirectory()) {
            return Kind.DIRECTORY;
        }
        if (e.isSymbolicLink()) {
            return Kind.SYMLINK;
        }
        if (e.isLink()) {
            return Kind.HARD_LINK;
        }
        byte flag = e.getLinkFlag();
        return flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG
                ? Kind.FILE : null;
    }

    /**
     * Checks an entry's name against its base and against the entries before it; returns where it goes, or null
     * for the base directory itself. Records the directories it implies, so that a later entry cannot turn one of
     * them into a link.
     */
    private Placed locate(String name, Kind kind) throws HostileEntryException {
        Base base = name.startsWith(work.prefix()) ? work : name.startsWith(home.prefix()) ? home : null;
        String rel = base == null ? "" : name.substring(2);
        if (base == null || (rel.startsWith("/") && !rel.equals("/"))) {
            throw hostile("holds the entry '" + name + "', which would write outside its directory");
        }
        List<String> segments = segments(rel);
        if (segments == null) {
            throw hostile("holds the entry '" + name + "', which would write outside its directory");
        }
        if (segments.isEmpty()) {
            if (kind != Kind.DIRECTORY) {
                throw hostile("holds the entry '" + name + "', which would replace " + base.description());
            }
            return null;
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < segments.size() - 1; i++) {
            prefix.append(i == 0 ? "" : "/").append(segments.get(i));
            Placed above = entries.get(base.prefix() + prefix);
            if (above == null) {
                entries.put(base.prefix() + prefix, new Placed(base, prefix.toString(), Kind.DIRECTORY, name));
            } else if (above.kind() == Kind.SYMLINK) {
                throw hostile("holds '" + name + "' beneath the link '" + above.name()
                        + "' it creates itself; extraction never writes through a link");
            } else if (above.kind() != Kind.DIRECTORY) {
                throw hostile("holds '" + name + "' beneath the file '" + above.name() + "'");
            }
        }
        String normalized = String.join("/", segments);
        Placed earlier = entries.get(base.prefix() + normalized);
        if (earlier != null && earlier.kind() != kind) {
            throw hostile("holds '" + normalized + "' twice, as " + article(earlier.kind()) + " ('" + earlier.name()
                    + "') and as " + article(kind) + " ('" + name + "')");
        }
        return new Placed(base, normalized, kind, name);
    }

    private static String article(Kind kind) {
        return switch (kind) {
            case DIRECTORY -> "a directory";
            case FILE -> "a file";
            case SYMLINK -> "a link";
            case HARD_LINK -> "a hard link";
        };
    }

    /** Path segments without empty and {@code .} ones; null when one is {@code ..} or not a valid file name. */
    private static List<String> segments(String rel) {
        List<String> out = new ArrayList<>();
        for (String s : rel.split("/")) {
            if (s.equals("..") || s.indexOf('\0') >= 0) {
                return null;
            }
            if (!s.isEmpty() && !s.equals(".")) {
                out.add(s);
            }
        }
        return out;
    }

    /** The key under which {@code entries} holds the entry a hard link names, or null. */
    private static String normalizedName(String name) {
        if (name == null || name.length() < 2) {
            return null;
        }
        List<String> segments = segments(name.substring(2));
        return segments == null || segments.isEmpty() ? null : name.substring(0, 2) + String.join("/", segments);
    }

    private Path linkTarget(String name, String linkName) throws HostileEntryException {
        try {
            if (linkName == null || linkName.isEmpty()) {
                throw new InvalidPathException(String.valueOf(linkName), "empty");
            }
            return Path.of(linkName);
        } catch (InvalidPathException e) {
            throw hostile("holds a link '" + name + "' with the unusable target '" + linkName + "'");
        }
    }

    private Path stagingOf(Base base) throws IOException {
        Path dir = staging.get(base);
        if (dir == null) {
            dir = Files.createTempDirectory(Files.createDirectories(base.dir()), ".gantry-restore-");
            staging.put(base, dir);
        }
        return dir;
    }

    /** Refuses an entry that would write through an existing link, or replace a directory, on disk. */
    private void checkDestination(Placed p) throws HostileEntryException {
        Path dest = p.base().dir();
        String[] segments = p.rel().split("/");
        for (int i = 0; i < segments.length; i++) {
            dest = dest.resolve(segments[i]);
            boolean last = i == segments.length - 1;
            if (Files.isSymbolicLink(dest)) {
                if (!last || p.kind() == Kind.DIRECTORY) {
                    throw hostile("would write '" + p.name() + "' through the link '"
                            + p.base().dir().relativize(dest) + "' that is already in " + p.base().description()
                            + "; remove the link, or save the cache without it");
                }
                return;
            }
            if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            boolean isDirectory = Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS);
            if (!last && !isDirectory) {
                throw hostile("holds '" + p.name() + "' beneath '" + p.base().dir().relativize(dest)
                        + "', which is a file in " + p.base().description());
            }
            if (last && isDirectory != (p.kind() == Kind.DIRECTORY)) {
                throw hostile("holds '" + p.name() + "' as " + article(p.kind()) + " where " + p.base().description()
                        + " has " + (isDirectory ? "a directory" : "a file") + "; remove it and restore again");
            }
        }
    }

    private int place() throws IOException {
        int files = 0;
        // a top-level path the destination does not have yet moves whole, in one rename: nothing to merge into
        java.util.Set<String> movedWhole = new java.util.HashSet<>();
        for (Placed p : entries.values()) {
            String top = p.rel().contains("/") ? p.rel().substring(0, p.rel().indexOf('/')) : p.rel();
            String key = p.base().prefix() + top;
            if (!movedWhole.contains(key) && entries.get(key) != null
                    && !Files.exists(p.base().dir().resolve(top), LinkOption.NOFOLLOW_LINKS)) {
                directories(p.base().dir());
                Files.move(staging.get(p.base()).resolve(top), p.base().dir().resolve(top),
                        StandardCopyOption.ATOMIC_MOVE);
                movedWhole.add(key);
            }
        }
        for (Placed p : entries.values()) {
            if (p.kind() == Kind.FILE || p.kind() == Kind.HARD_LINK) {
                files++;
            }
            String top = p.rel().contains("/") ? p.rel().substring(0, p.rel().indexOf('/')) : p.rel();
            if (movedWhole.contains(p.base().prefix() + top)) {
                continue;
            }
            Path dest = p.base().dir().resolve(p.rel());
            if (p.kind() == Kind.DIRECTORY) {
                directories(dest);
                continue;
            }
            directories(dest.getParent());
            Files.move(staging.get(p.base()).resolve(p.rel()), dest, StandardCopyOption.REPLACE_EXISTING);
        }
        return files;
    }

    /**
     * {@link Files#createDirectories} once per directory: it signals an existing one with an exception, which
     * thousands of files in a few directories would pay for again and again.
     */
    private void directories(Path dir) throws IOException {
        if (made.add(dir)) {
            Files.createDirectories(dir);
        }
    }

    private final java.util.Set<Path> made = new java.util.HashSet<>();

    private void removeStaging() throws IOException {
        for (Path dir : staging.values()) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private HostileEntryException hostile(String what) {
        return new HostileEntryException(key + " " + what + ": restore refused");
    }
}

package dev.gantry.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CacheArchiveTest {

    @TempDir
    Path root;

    @Test
    void roundTripsFilesDirectoriesLinksAndHomePaths() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        Path home = Files.createDirectories(root.resolve("home"));
        Files.createDirectories(work.resolve("node_modules/a/bin"));
        Files.writeString(work.resolve("node_modules/a/index.js"), "js");
        Files.writeString(work.resolve("node_modules/a/bin/run"), "#!/bin/sh");
        work.resolve("node_modules/a/bin/run").toFile().setExecutable(true);
        Files.createSymbolicLink(work.resolve("node_modules/link"), Path.of("a/index.js"));
        Files.createDirectories(home.resolve(".m2/repository/x"));
        Files.writeString(home.resolve(".m2/repository/x/x.jar"), "jar");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> missing = CacheArchive.write(out, work, home, List.of("node_modules", "~/.m2/repository", "absent"));
        assertThat(missing).containsExactly("absent");

        Path work2 = Files.createDirectories(root.resolve("work2"));
        Path home2 = Files.createDirectories(root.resolve("home2"));
        int files = CacheArchive.extract(new ByteArrayInputStream(out.toByteArray()), work2, home2, "k");
        assertThat(files).isEqualTo(3);
        assertThat(work2.resolve("node_modules/a/index.js")).hasContent("js");
        assertThat(work2.resolve("node_modules/a/bin/run")).isExecutable();
        assertThat(Files.readSymbolicLink(work2.resolve("node_modules/link"))).isEqualTo(Path.of("a/index.js"));
        assertThat(home2.resolve(".m2/repository/x/x.jar")).hasContent("jar");
    }

    private static byte[] archive(String name, String linkTo) throws Exception {
        TarBuilder tar = new TarBuilder();
        return (linkTo == null ? tar.file(name, "evil") : tar.hardLink(name, linkTo)).bytes();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "w/../evil.txt, none",
        "w/a/../../evil.txt, none",
        "h/../../evil.txt, none",
        "/etc/evil.txt, none",
        "w//etc/evil.txt, none",
        "evil.txt, none",
        "w/leak, /etc/passwd",
        "w/leak, w/../../outside",
        "w/leak, h/.bashrc",
    })
    void refusesEntriesThatEscapeTheirDirectory(String name, String hardLinkTo) throws Exception {
        Path work = Files.createDirectories(root.resolve("w1/work"));
        Path home = Files.createDirectories(root.resolve("w1/home"));
        assertThatThrownBy(() -> CacheArchive.extract(new ByteArrayInputStream(archive(name, hardLinkTo)), work, home,
                "bad")).isInstanceOf(CacheArchive.HostileEntryException.class).hasMessageContaining("cache bad")
                .hasMessageContaining("restore refused");
        try (var all = Files.walk(root)) {
            assertThat(all.filter(p -> p.getFileName().toString().startsWith("evil") || p.endsWith("leak")).toList())
                    .isEmpty();
        }
    }

    /** Every path under {@code root} with what it is: a directory, a link and its target, or a file's bytes. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String what = Files.isSymbolicLink(p) ? "link -> " + Files.readSymbolicLink(p)
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
                        : "file " + HexFormat.of().formatHex(Files.readAllBytes(p));
                out.put(root.relativize(p).toString(), what);
            }
        }
        return out;
    }

    /**
     * The archive of issue 9: links it creates itself chain out of the working copy ({@code a -> .} makes
     * {@code a/b} land at {@code b}, and so on), then a directory, a link and a file land beneath them.
     */
    static byte[] chainingArchive() throws IOException {
        return new TarBuilder()
                .file("w/inside.txt", "poisoned")
                .link("w/a", ".")
                .link("w/a/b", "..")
                .link("w/b/b", "..")
                .dir("w/b/b/planted")
                .link("w/b/b/sentinel.txt", "inside.txt")
                .file("w/b/tracked.txt", "poisoned")
                .file("w/b/b/sentinel.txt", "poisoned")
                .bytes();
    }

    @Test
    void refusesAnArchiveThatChainsThroughItsOwnLinksAndChangesNothing() throws Exception {
        Path repo = Files.createDirectories(root.resolve("repo"));
        Path work = Files.createDirectories(repo.resolve("work"));
        Path home = Files.createDirectories(root.resolve("home"));
        Files.writeString(root.resolve("sentinel.txt"), "outside, untouched");
        Files.writeString(repo.resolve("tracked.txt"), "a tracked file of the repository");
        Files.writeString(work.resolve("inside.txt"), "inside, untouched");
        Map<String, String> before = snapshot(root);

        assertThatThrownBy(() -> CacheArchive.extract(new ByteArrayInputStream(chainingArchive()), work, home,
                "chain")).isInstanceOf(CacheArchive.HostileEntryException.class)
                .hasMessageContaining("cache chain holds 'w/a/b' beneath the link 'w/a' it creates itself")
                .hasMessageContaining("restore refused");

        assertThat(snapshot(root)).isEqualTo(before);
        assertThat(root.resolve("sentinel.txt")).hasContent("outside, untouched");
        assertThat(work.resolve("inside.txt")).hasContent("inside, untouched");
    }

    @Test
    void refusesToWriteThroughALinkAlreadyInTheWorkingCopy() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        Path home = Files.createDirectories(root.resolve("home"));
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("index.js"), "outside, untouched");
        Files.createSymbolicLink(work.resolve("node_modules"), Path.of("../elsewhere"));
        Map<String, String> before = snapshot(root);
        byte[] archive = new TarBuilder().file("w/first.txt", "new").file("w/node_modules/index.js", "poisoned")
                .bytes();

        assertThatThrownBy(() -> CacheArchive.extract(new ByteArrayInputStream(archive), work, home, "k"))
                .isInstanceOf(CacheArchive.HostileEntryException.class)
                .hasMessageContaining("through the link 'node_modules' that is already in the working copy");
        assertThat(snapshot(root)).isEqualTo(before);
    }

    @Test
    void refusesToReplaceADirectoryAndChangesNothing() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        Path home = Files.createDirectories(root.resolve("home"));
        Files.createDirectories(work.resolve("venv/lib64"));
        Files.writeString(work.resolve("venv/lib64/x"), "kept");
        Map<String, String> before = snapshot(root);
        byte[] archive = new TarBuilder().file("w/venv/a", "new").link("w/venv/lib64", "lib").bytes();

        assertThatThrownBy(() -> CacheArchive.extract(new ByteArrayInputStream(archive), work, home, "k"))
                .hasMessageContaining("holds 'w/venv/lib64' as a link where the working copy has a directory");
        assertThat(snapshot(root)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"character device, 3", "block device, 4", "fifo, 6"})
    void refusesSpecialFiles(String kind, char type) throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        Path home = Files.createDirectories(root.resolve("home"));
        byte[] archive = new TarBuilder().file("w/ok.txt", "ok").special("w/dev", (byte) type, null).bytes();
        assertThatThrownBy(() -> CacheArchive.extract(new ByteArrayInputStream(archive), work, home, "k"))
                .hasMessageContaining("holds 'w/dev', which is neither a file, a directory nor a link");
        assertThat(snapshot(root)).containsOnlyKeys("", "work", "home");
    }

    @Test
    void refusesAnEntryThatChangesType() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        Path home = Files.createDirectories(root.resolve("home"));
        byte[] archive = new TarBuilder().file("w/a/b", "x").link("w/a", "/etc").bytes();
        assertThatThrownBy(() -> CacheArchive.extract(new ByteArrayInputStream(archive), work, home, "k"))
                .hasMessageContaining("holds 'a' twice, as a directory ('w/a/b') and as a link ('w/a')");
        assertThat(snapshot(root)).containsOnlyKeys("", "work", "home");
    }

    @Test
    void recreatesLinksAsTheyAreWithoutFollowingThem() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        Path home = Files.createDirectories(root.resolve("home"));
        Files.createDirectories(work.resolve("venv/bin"));
        Files.writeString(work.resolve("venv/bin/python3"), "replaced by the cache's link");
        byte[] archive = new TarBuilder()
                .link("w/venv/bin/python3", "/usr/bin/python3")
                .link("w/venv/bin/python", "python3")
                .dir("w/venv/lib/python3.11/site-packages")
                .file("w/venv/lib/python3.11/site-packages/mod.py", "x = 1")
                .hardLink("w/venv/lib/python3.11/site-packages/same.py", "w/venv/lib/python3.11/site-packages/mod.py")
                .link("w/venv/lib64", "lib")
                .link("w/escape", "../../outside")
                .bytes();

        int files = CacheArchive.extract(new ByteArrayInputStream(archive), work, home, "venv");

        assertThat(files).isEqualTo(2);
        assertThat(Files.readSymbolicLink(work.resolve("venv/bin/python3"))).isEqualTo(Path.of("/usr/bin/python3"));
        assertThat(Files.readSymbolicLink(work.resolve("venv/bin/python"))).isEqualTo(Path.of("python3"));
        assertThat(Files.readSymbolicLink(work.resolve("venv/lib64"))).isEqualTo(Path.of("lib"));
        assertThat(work.resolve("venv/lib64/python3.11/site-packages/mod.py")).hasContent("x = 1");
        assertThat(Files.isSameFile(work.resolve("venv/lib/python3.11/site-packages/mod.py"),
                work.resolve("venv/lib/python3.11/site-packages/same.py"))).isTrue();
        assertThat(Files.readSymbolicLink(work.resolve("escape"))).isEqualTo(Path.of("../../outside"));
        assertThat(root.getParent().resolve("outside")).doesNotExist();
        assertThat(snapshot(work).keySet()).noneMatch(p -> p.startsWith(".gantry-restore-"));
    }
}

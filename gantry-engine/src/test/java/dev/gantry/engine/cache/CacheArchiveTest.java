package dev.gantry.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new ZstdOutputStream(out))) {
            TarArchiveEntry e = linkTo == null ? new TarArchiveEntry(name, true)
                    : new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            if (linkTo != null) {
                e.setLinkName(linkTo);
            } else {
                e.setSize(4);
            }
            tar.putArchiveEntry(e);
            if (linkTo == null) {
                tar.write("evil".getBytes());
            }
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "w/../evil.txt, none",
        "w/a/../../evil.txt, none",
        "h/../../evil.txt, none",
        "/etc/evil.txt, none",
        "evil.txt, none",
        "w/leak, /etc/passwd",
        "w/leak, ../../outside",
    })
    void refusesEntriesThatEscapeTheirDirectory(String name, String link) throws Exception {
        Path work = Files.createDirectories(root.resolve("w1/work"));
        Path home = Files.createDirectories(root.resolve("w1/home"));
        assertThatThrownBy(() -> CacheArchive.extract(new ByteArrayInputStream(archive(name, link)), work, home, "bad"))
                .isInstanceOf(CacheArchive.HostileEntryException.class).hasMessageContaining("cache bad")
                .hasMessageContaining("restore refused");
        try (var all = Files.walk(root)) {
            assertThat(all.filter(p -> p.getFileName().toString().startsWith("evil") || p.endsWith("leak")).toList())
                    .isEmpty();
        }
    }
}

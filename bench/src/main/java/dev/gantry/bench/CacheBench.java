package dev.gantry.bench;

import dev.gantry.engine.cache.CacheArchive;
import dev.gantry.engine.cache.LocalCacheStore;
import dev.gantry.engine.workspace.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cache saved and restored by Gantry (its store's atomic save, its confined restore) against {@code tar -c |
 * zstd -T0 -3} and {@code zstd -d | tar -x} on the same tree, alternating in the same run so that both see the
 * same page cache and the same load, each after a {@code sync} (nothing left dirty by the one before). Prints the median of each and the ratio baseline/Gantry (above 1.0: Gantry
 * is faster).
 *
 * <p>Usage: {@code bench/cache/run [rounds] [tree]} (default 5 rounds of {@code ~/.m2/repository}).
 */
public final class CacheBench {

    private CacheBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path tree = args.length > 1 ? Path.of(args[1])
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        if (!Files.isDirectory(tree)) {
            System.err.println("cache bench: no tree at " + tree + " (build once so that Maven fills it, or name one)");
            System.exit(2);
        }
        Path parent = tree.toAbsolutePath().getParent();
        String name = tree.getFileName().toString();
        long[] size = size(tree);
        System.out.printf("tree %s: %d files, %.1f MiB; %d cores; %d rounds%n", tree, size[0], size[1] / 1048576.0,
                Runtime.getRuntime().availableProcessors(), rounds);
        Path work = Files.createTempDirectory("gantry-cache-bench-");
        try {
            double[] gSave = new double[rounds];
            double[] bSave = new double[rounds];
            double[] gRestore = new double[rounds];
            double[] bRestore = new double[rounds];
            long gBytes = 0;
            long bBytes = 0;
            for (int r = -1; r < rounds; r++) { // round -1 warms up and is not counted
                LocalCacheStore store = new LocalCacheStore(work.resolve("store-" + (r + 1)));
                settle();
                long t0 = System.nanoTime();
                gBytes = store.save("k", out -> CacheArchive.write(out, parent, parent, List.of(name))).orElseThrow();
                double gs = (System.nanoTime() - t0) / 1e9;
                Path archive = work.resolve("baseline-" + (r + 1) + ".tar.zst");
                settle();
                t0 = System.nanoTime();
                sh("tar -cf - -C \"$1\" \"$2\" | zstd -q -T0 -3 -o \"$3\"", parent.toString(), name,
                        archive.toString());
                double bs = (System.nanoTime() - t0) / 1e9;
                bBytes = Files.size(archive);

                Path into = Files.createDirectories(work.resolve("g-" + (r + 1)));
                settle();
                t0 = System.nanoTime();
                try (InputStream in = store.open("k")) {
                    CacheArchive.extract(in, into, into, "k");
                }
                double gr = (System.nanoTime() - t0) / 1e9;
                Path baseInto = Files.createDirectories(work.resolve("b-" + (r + 1)));
                settle();
                t0 = System.nanoTime();
                sh("zstd -q -d -c \"$1\" | tar -xf - -C \"$2\"", archive.toString(), baseInto.toString());
                double br = (System.nanoTime() - t0) / 1e9;
                if (r >= 0) {
                    gSave[r] = gs;
                    bSave[r] = bs;
                    gRestore[r] = gr;
                    bRestore[r] = br;
                    System.out.printf("round %d: save gantry %.2fs tar|zstd %.2fs; restore gantry %.2fs zstd|tar %.2fs%n",
                            r + 1, gs, bs, gr, br);
                }
                if (r >= 0 && size(into.resolve(name))[0] != size[0]) {
                    throw new IllegalStateException("Gantry restored " + size(into.resolve(name))[0] + " files of "
                            + size[0]);
                }
                Directories.deleteTree(into);
                Directories.deleteTree(baseInto);
                Directories.deleteTree(work.resolve("store-" + (r + 1)));
                Files.delete(archive);
            }
            double ms = Stats.median(gSave);
            double bms = Stats.median(bSave);
            double mr = Stats.median(gRestore);
            double bmr = Stats.median(bRestore);
            System.out.printf("save:    gantry %.2fs, tar | zstd -T0 -3 %.2fs: %.2fx (%.0f / %.0f MiB/s); archives %.1f"
                    + " / %.1f MiB%n", ms, bms, bms / ms, size[1] / 1048576.0 / ms, size[1] / 1048576.0 / bms,
                    gBytes / 1048576.0, bBytes / 1048576.0);
            System.out.printf("restore: gantry %.2fs, zstd -d | tar -x %.2fs: %.2fx%n", mr, bmr, bmr / mr);
        } finally {
            Directories.deleteTree(work);
        }
    }

    /**
     * Writes out what the previous measurement left dirty in the page cache ({@code sync}), so that no measurement
     * pays for the one before it.
     */
    private static void settle() throws IOException, InterruptedException {
        sh("sync");
    }

    private static long[] size(Path tree) throws IOException {
        long[] s = new long[2];
        try (Stream<Path> walk = Files.walk(tree)) {
            walk.filter(Files::isRegularFile).forEach(f -> {
                s[0]++;
                s[1] += f.toFile().length();
            });
        }
        return s;
    }

    private static void sh(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", "-c", "set -o pipefail; " + script, "bench"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException(script + " exited with " + p.exitValue());
        }
    }
}

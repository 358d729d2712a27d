package dev.gantry.store;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A second process on the same embedded database, for {@link H2StoreTest}: opens the store in the directory given,
 * prints {@code ready}, waits for a line on stdin, then creates releases and prints each number it got.
 * Arguments: directory, pipeline, environment, how many.
 */
public final class ReleaseCreatorMain {

    private ReleaseCreatorMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Store store = Store.embedded(Path.of(args[0]))) {
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                Release created = store.releases().create(new Release(args[1], args[2], 0, 1000 + i, null, "main",
                        null, "child", Map.of(), Map.of(), 7860, ReleaseStatus.DEPLOYING, Instant.now(), null, null,
                        null));
                System.out.println(created.number());
                System.out.flush();
            }
        }
    }
}

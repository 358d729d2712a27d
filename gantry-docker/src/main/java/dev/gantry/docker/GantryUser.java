package dev.gantry.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gantry's own {@code uid:gid}: the user steps run as inside containers unless the image says otherwise, so the
 * files they create in the working copy are Gantry's to read and remove afterwards.
 */
public final class GantryUser {

    private GantryUser() {
    }

    public static String current() {
        try {
            String uid = null;
            String gid = null;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    uid = line.split("\\s+")[2];
                } else if (line.startsWith("Gid:")) {
                    gid = line.split("\\s+")[2];
                }
            }
            if (uid != null && gid != null) {
                return uid + ":" + gid;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: below
        }
        return "0:0";
    }
}

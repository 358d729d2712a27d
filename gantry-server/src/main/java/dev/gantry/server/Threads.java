package dev.gantry.server;

import java.util.concurrent.ThreadFactory;

/** The server's background threads: daemons (they never keep the JVM alive), named for thread dumps. */
public final class Threads {

    private Threads() {
    }

    public static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}

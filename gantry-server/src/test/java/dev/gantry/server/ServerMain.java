package dev.gantry.server;

import dev.gantry.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** A server in its own JVM, for tests that kill it: {@code ServerMain DATA_DIR}; writes its port to DATA_DIR/port. */
public final class ServerMain {

    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Store store = Store.embedded(data.resolve("db"));
        GantryServer server = GantryServer.start(store, ServerFixture.settings(data, 2, 0),
                new ServerLog(System.out, Clock.systemUTC()));
        Files.writeString(data.resolve("port.tmp"), Integer.toString(server.port()));
        Files.move(data.resolve("port.tmp"), data.resolve("port"));
        Thread.sleep(Long.MAX_VALUE);
    }
}

package dev.gantry.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2StoreTest extends StoreContract {

    @TempDir
    Path dir;

    @Override
    protected Store open() {
        return Store.embedded(dir);
    }
}

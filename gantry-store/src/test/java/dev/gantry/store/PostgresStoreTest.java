package dev.gantry.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract on a real PostgreSQL server: {@code .ci/run} starts one and sets {@code GANTRY_TEST_POSTGRES_URL};
 * without it these tests are reported as skipped, never as passed.
 */
class PostgresStoreTest extends StoreContract {

    @Override
    protected Store open() {
        String url = System.getenv("GANTRY_TEST_POSTGRES_URL");
        assumeTrue(url != null && !url.isBlank(), "GANTRY_TEST_POSTGRES_URL is not set: no PostgreSQL to test on");
        return Store.open(url, System.getenv("GANTRY_TEST_POSTGRES_USER"), null);
    }
}

package dev.gantry.engine.deploy;

import java.util.Map;

/** The contract on local processes. */
class LocalReleasesTest extends ReleaseRunnerContract {

    @Override
    protected ReleaseRunner runner() {
        return LocalReleases.INSTANCE;
    }

    @Override
    protected LaunchRecord.Container container() {
        return null;
    }

    @Override
    protected Map<String, String> baseEnv() {
        return Map.of("PATH", System.getenv("PATH"));
    }
}

package dev.gantry.engine.deploy;

import dev.gantry.engine.service.FakeService;

/**
 * {@link FakeService} under a name of its own, so the releases deploy tests leave running for a moment are never
 * mistaken for services that outlived a task by tests that look for FakeService processes.
 */
public final class DeployedService {

    public static void main(String[] args) throws Exception {
        FakeService.main(args);
    }

    private DeployedService() {
    }
}

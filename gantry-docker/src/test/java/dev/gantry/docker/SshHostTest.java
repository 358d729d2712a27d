package dev.gantry.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.host.DockerHosts;
import dev.gantry.docker.testing.DockerAvailable;
import dev.gantry.docker.testing.SshServer;
import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.service.PortAllocator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code ssh://} Docker host through a real sshd: the OpenSSH client forwards the engine's socket, tasks run
 * through it, and closing the hosts ends the ssh process.
 */
class SshHostTest {

    @TempDir
    Path dir;

    @Test
    void tasksRunOnAnSshHostAndItsTunnelEndsWithIt() throws Exception {
        DockerAvailable.images();
        try (SshServer sshd = SshServer.start(dir, PortAllocator.allocate())) {
            String config = sshd.clientConfig().toString();
            DockerHostSpec spec = DockerHostSpec.parse("far=ssh://root@127.0.0.1:" + sshd.port() + ";ssh_config="
                    + config);
            try (DockerHosts hosts = DockerHosts.open("ssh-host-test", List.of(spec), line -> { })) {
                assertThat(hosts.placement().downHosts()).isEmpty();
                assertThat(tunnels(config)).hasSize(1);
                BuildFixture.Result r = HostBuilds.on(dir, hosts).run("""
                                name: t
                                defaults: {image: {name: "gantry-example/base:1", pull: never}}
                                jobs:
                                  job:
                                    steps: [{run: grep -q docker-init /proc/1/cmdline && echo through ssh}]
                                """);
                assertThat(r.task("job").state()).as(r.output("job").toString()).isEqualTo(TaskState.SUCCEEDED);
                assertThat(r.output("job")).contains("through ssh");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> tunnels(config).isEmpty());
        }
    }

    /** The ssh client processes started with this test's configuration. */
    private static List<ProcessHandle> tunnels(String config) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(config)
                && p.info().command().orElse("").endsWith("/ssh")).toList();
    }
}

package dev.gantry.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.host.DockerHosts;
import dev.gantry.docker.host.Labels;
import dev.gantry.docker.testing.DockerAvailable;
import dev.gantry.docker.testing.SecondDaemon;
import dev.gantry.docker.testing.TestCertificates;
import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.service.PortAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code tcp://} Docker host with {@code tls=DIR}: a real second dockerd verifying clients with TLS. Gantry's
 * client certificate gets in and tasks run there; a certificate from another authority is refused and that host
 * is marked down with the reason.
 */
class TlsHostTest {

    @TempDir
    Path dir;

    @Test
    void tasksRunOnATlsHostWithTheRightCertificatesAndAForeignCertificateIsRefused() throws Exception {
        DockerAvailable.images();
        Path certs = TestCertificates.create(Files.createDirectories(dir.resolve("certs")), "gantry-test-ca");
        Path foreign = TestCertificates.create(Files.createDirectories(dir.resolve("foreign")), "another-ca");
        int port = PortAllocator.allocate();
        try (SecondDaemon daemon = SecondDaemon.startWithTls(port, certs)) {
            daemon.load("gantry-example/base:1");
            String url = "tcp://127.0.0.1:" + port;
            List<String> report = new CopyOnWriteArrayList<>();
            try (DockerHosts hosts = DockerHosts.open("tls-host-test", List.of(
                    DockerHostSpec.parse("secure=" + url + ";tls=" + certs),
                    DockerHostSpec.parse("forged=" + url + ";tls=" + foreign)), report::add)) {
                assertThat(hosts.placement().downHosts()).containsOnlyKeys("forged");
                assertThat(report).anyMatch(l -> l.contains("forged") && l.contains("unreachable"));

                List<String> seen = new CopyOnWriteArrayList<>();
                BuildFixture.Result r = HostBuilds.on(dir, hosts).listener(e -> {
                            if (e instanceof BuildEvent.LogLine l && l.line().equals("up")) {
                                seen.add(daemon.docker("ps", "-q", "--filter", "label=" + Labels.TASK + "=job")
                                        .output().strip());
                            }
                        }).run("""
                        name: t
                        defaults: {image: {name: "gantry-example/base:1", pull: never}}
                        jobs:
                          job:
                            steps: [{run: echo up; sleep 1}]
                        """);
                assertThat(r.task("job").state()).as(r.output("job").toString()).isEqualTo(TaskState.SUCCEEDED);
                assertThat(seen).singleElement().asString().as("the task's container, on the TLS engine")
                        .isNotBlank();
            }
        }
    }
}

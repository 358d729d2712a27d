package dev.gantry.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.gantry.docker.host.DockerHost;
import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.host.DockerHosts;
import dev.gantry.docker.host.Labels;
import dev.gantry.docker.host.Owner;
import dev.gantry.docker.testing.DockerAvailable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a killed Gantry leaves behind is removed when the same instance starts again; what a Gantry still running,
 * another instance, or someone else made is never touched.
 */
class LeftoversTest {

    private final String instance = "leftovers-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> created = new ArrayList<>();
    private DockerHost host;

    @BeforeEach
    void connect() throws Exception {
        DockerAvailable.assume();
        DockerAvailable.images();
        host = DockerHost.connect(DockerHostSpec.local(Map.of(), Map.of()));
    }

    @AfterEach
    void removeWhatIsLeft() {
        if (host == null) {
            return;
        }
        for (String id : created) {
            try {
                host.client().removeContainerCmd(id).withForce(true).exec();
            } catch (RuntimeException e) {
                // removed by the test's subject
            }
        }
        host.close();
    }

    private String container(String inst, String owner) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (inst != null) {
            labels.putAll(Labels.of(inst, "b1", "t1", "task"));
            labels.put(Labels.OWNER, owner);
        }
        String id = host.client().createContainerCmd("gantry-example/base:1").withEntrypoint("sleep", "600")
                .withLabels(labels).exec().getId();
        host.client().startContainerCmd(id).exec();
        created.add(id);
        return id;
    }

    private boolean exists(String id) {
        return host.client().listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec().size() == 1;
    }

    @Test
    void startUpRemovesOnlyThisInstancesContainersWhoseGantryIsGone() throws Exception {
        Owner self = Owner.self();
        // a process id that cannot be running: beyond the kernel's pid_max
        String dead = new Owner(self.machine(), 4_194_305L, "12345").toString();
        String orphan = container(instance, dead);
        String unreadable = container(instance, "not an owner");
        String running = container(instance, self.toString());
        String otherInstance = container("another-" + instance, dead);
        String notGantrys = container(null, null);
        DockerClient docker = host.client();
        String net = docker.createNetworkCmd().withName(instance).withLabels(Map.of(Labels.INSTANCE, instance,
                Labels.OWNER, dead)).exec().getId();

        List<String> said = new ArrayList<>();
        try (DockerHosts hosts = DockerHosts.open(instance, List.of(DockerHostSpec.local(Map.of(), Map.of())),
                said::add)) {
            assertThat(hosts.placement().downHosts()).isEmpty();
        }

        assertThat(exists(orphan)).isFalse();
        assertThat(exists(unreadable)).isFalse();
        assertThat(exists(running)).isTrue();
        assertThat(exists(otherInstance)).isTrue();
        assertThat(exists(notGantrys)).isTrue();
        assertThat(docker.listNetworksCmd().withIdFilter(net).exec()).isEmpty();
        assertThat(said).singleElement().asString().contains("removed 3 container(s) and network(s)");
    }

    @Test
    void anUnreachableHostIsMarkedDownWithItsReasonAndReceivesNoTask() throws Exception {
        DockerHostSpec gone = DockerHostSpec.parse("gone=unix:///nonexistent/docker.sock;gpu=1");
        List<String> said = new ArrayList<>();
        try (DockerHosts hosts = DockerHosts.open(instance, List.of(gone,
                DockerHostSpec.parse("here=unix:///var/run/docker.sock;gpu=1")), said::add)) {
            assertThat(hosts.placement().downHosts()).containsOnlyKeys("gone");
            assertThat(said).singleElement().asString().contains("docker host gone (unix:///nonexistent/docker.sock)"
                    + " is unreachable");
            for (int i = 0; i < 3; i++) {
                var a = hosts.placement().tryAcquire(Map.of("gpu", 1));
                assertThat(a).isPresent();
                assertThat(a.get().host()).isEqualTo("here");
                hosts.placement().release(a.get());
            }
        }
    }
}

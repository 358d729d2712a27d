package dev.gantry.docker.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseStatus;
import dev.gantry.docker.GantryUser;
import dev.gantry.docker.host.DockerHost;
import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.testing.DockerAvailable;
import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.deploy.Deployments;
import dev.gantry.engine.deploy.MemoryReleaseHistory;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.EngineSettings;
import dev.gantry.engine.service.PortAllocator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploys whose service names an image, through the real loader and engine, on the local Docker engine: the
 * release is a container with a restart policy, Docker restarts it when it crashes, and a failed gate rolls back
 * to the previous release's very image even after its tag moved.
 */
class ContainerDeployTest {

    private static final String TAG = "gantry-test/release:live";
    private static DockerHost docker;
    private static String one;
    private static String two;

    @TempDir
    Path dir;

    private final int port = PortAllocator.allocate();
    private final MemoryReleaseHistory history = new MemoryReleaseHistory();
    private ContainerReleases releases;
    private Deployments deployments;

    @BeforeAll
    static void images() throws Exception {
        DockerAvailable.images();
        docker = DockerHost.connect(DockerHostSpec.local(Map.of(), Map.of()));
        one = image("gantry-test/release:one", "one");
        two = image("gantry-test/release:two", "two");
    }

    @AfterAll
    static void close() {
        if (docker != null) {
            docker.close();
        }
    }

    @AfterEach
    void stopWhatIsLeft() {
        if (deployments != null) {
            history.list("ctr", "staging").forEach(deployments::stopRunning);
            releases.close();
        }
    }

    /** An image of the base image with {@code /srv/version} saying {@code version}; returns its id. */
    private static String image(String name, String version) throws Exception {
        DockerClient c = docker.client();
        String id = c.createContainerCmd("gantry-example/base:1").withEntrypoint("sh", "-c",
                "mkdir -p /srv && echo " + version + " > /srv/version").exec().getId();
        try {
            c.startContainerCmd(id).exec();
            c.waitContainerCmd(id).start().awaitStatusCode();
            String[] repoTag = name.split(":");
            return c.commitCmd(id).withRepository(repoTag[0]).withTag(repoTag[1]).exec();
        } finally {
            c.removeContainerCmd(id).withForce(true).exec();
        }
    }

    private static void tag(String imageId) {
        docker.client().tagImageCmd(imageId, "gantry-test/release", "live").withForce().exec();
    }

    private BuildFixture.Result deploy(String expect) {
        releases = releases != null ? releases : new ContainerReleases(
                List.of(DockerHostSpec.local(Map.of(), Map.of())), null);
        deployments = deployments != null ? deployments : new Deployments(dir.resolve(".gantry/environments"),
                history, Clock.systemUTC(), System.getenv(), releases);
        return new BuildFixture(dir).settings(new EngineSettings(2, false, System.getenv(), Clock.systemUTC())
                .withDeployments(deployments)).run("""
                name: ctr
                environments:
                  staging: {}
                jobs:
                  ship:
                    deploy:
                      environment: staging
                      service:
                        image: {name: "%s", pull: never}
                        command: mkdir -p www && cp /srv/version www/version && echo "serving $(cat www/version) as $(id -u):$(id -g)" && exec busybox httpd -f -p {{ port }} -h www
                        port: %d
                        ready: {http: /version}
                        stop: {grace_period: 2s}
                      gate:
                        - run: test "$(curl -sf "$GANTRY_RELEASE_URL/version")" = %s
                """.formatted(TAG, port, expect));
    }

    private List<Container> containers(Release r) {
        return docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerReleases.RELEASE, deployments.record(r).orElseThrow().releaseId()))
                .exec();
    }

    private String served() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/version")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().trim() : "status " + r.statusCode();
        } catch (IOException e) {
            return "unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Test
    void theReleaseIsAContainerOfItsImageWithARestartPolicyThatDockerRestartsWhenItCrashes() throws Exception {
        tag(one);
        BuildFixture.Result r = deploy("one");
        assertThat(r.task("ship").state()).as(r.output("ship").toString()).isEqualTo(TaskState.SUCCEEDED);
        Release live = history.live("ctr", "staging").orElseThrow();
        assertThat(served()).isEqualTo("one");
        List<Container> found = containers(live);
        assertThat(found).hasSize(1);
        InspectContainerResponse c = docker.client().inspectContainerCmd(found.get(0).getId()).exec();
        assertThat(c.getHostConfig().getRestartPolicy().getName()).isEqualTo("unless-stopped");
        assertThat(c.getHostConfig().getNetworkMode()).isEqualTo("host");
        assertThat(c.getImageId()).isEqualTo(one);
        Path log = deployments.releaseDirectory(live).resolve("service.log");
        assertThat(Files.readString(log)).contains("serving one as " + GantryUser.current());
        assertThat(deployments.status("ctr", "staging").running()).isTrue();

        // the service (docker-init's child) dies: Docker, not Gantry, starts it again
        String exec = docker.client().execCreateCmd(c.getId()).withUser("0").withCmd("sh", "-c",
                "kill -9 $(cat /proc/1/task/1/children)").exec().getId();
        docker.client().execStartCmd(exec).start().awaitCompletion();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                docker.client().inspectContainerCmd(c.getId()).exec().getRestartCount() >= 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> served().equals("one"));
        assertThat(containers(live)).hasSize(1);

        deployments.stop("ctr", "staging");
        assertThat(containers(live)).isEmpty();
        assertThat(served()).startsWith("unreachable");
    }

    @Test
    void aFailedGateRollsBackToThePreviousReleasesImageEvenAfterItsTagMoved() throws Exception {
        tag(one);
        BuildFixture.Result first = deploy("one");
        assertThat(first.task("ship").state()).as(first.output("ship").toString()).isEqualTo(TaskState.SUCCEEDED);
        tag(two); // the tag now names another image; release 1 is pinned to its own

        BuildFixture.Result second = deploy("one"); // release 2 serves "two": its gate fails
        assertThat(second.task("ship").state()).isEqualTo(TaskState.FAILED);
        assertThat(second.output("ship")).anyMatch(l -> l.contains("rolling back to release 1"));
        Release r1 = history.find("ctr", "staging", 1).orElseThrow();
        Release r2 = history.find("ctr", "staging", 2).orElseThrow();
        assertThat(r2.status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(r1.status()).isEqualTo(ReleaseStatus.LIVE);
        assertThat(deployments.record(r2).orElseThrow().container().imageId()).isEqualTo(two);
        assertThat(containers(r2)).isEmpty();
        List<Container> back = containers(r1);
        assertThat(back).hasSize(1);
        assertThat(docker.client().inspectContainerCmd(back.get(0).getId()).exec().getImageId()).isEqualTo(one);
        assertThat(served()).isEqualTo("one");
    }

    @Test
    void aMissingImageFailsTheDeployNamingTheImageAndTheHost() {
        docker.client().removeImageCmd(TAG).withForce(true).exec();
        BuildFixture.Result r;
        try {
            r = deploy("one");
        } finally {
            tag(one);
        }
        assertThat(r.task("ship").state()).isEqualTo(TaskState.ERRORED);
        assertThat(String.join("\n", r.output("ship")) + r.task("ship").reason())
                .contains("image " + TAG + " is not on docker host docker");
        assertThat(history.live("ctr", "staging")).isEmpty();
    }
}

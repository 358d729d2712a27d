package dev.gantry.docker.host;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.gantry.engine.pool.Placement;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Docker hosts of one Gantry instance, with the {@link Placement} every build on them shares. Opening them
 * removes what an earlier run of the same instance left behind when it was killed: containers and networks with
 * the instance's label whose owning process is gone. A host that cannot be reached at start-up, or is lost while
 * tasks run on it, is marked down; down hosts are asked again every {@link #RECHECK} and marked up once they
 * answer.
 */
public final class DockerHosts implements Closeable {

    /** How often down hosts are asked whether they are back. */
    public static final java.time.Duration RECHECK = java.time.Duration.ofSeconds(30);

    private final String instance;
    private final Map<String, DockerHost> hosts;
    private final Placement placement;
    private final java.util.function.Consumer<String> report;
    private final java.util.concurrent.ScheduledExecutorService timer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "docker-hosts-recheck");
                t.setDaemon(true);
                return t;
            });

    private DockerHosts(String instance, Map<String, DockerHost> hosts, Placement placement,
                        java.util.function.Consumer<String> report) {
        this.instance = instance;
        this.hosts = hosts;
        this.placement = placement;
        this.report = report;
    }

    /**
     * @param instance what this Gantry is, for labels: e.g. the hash of its state directory
     * @param report   where to say what was cleaned up or is unreachable (a line each)
     */
    public static DockerHosts open(String instance, List<DockerHostSpec> specs,
                                   java.util.function.Consumer<String> report) throws IOException {
        Map<String, DockerHost> hosts = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> pools = new LinkedHashMap<>();
        for (DockerHostSpec s : specs) {
            if (hosts.containsKey(s.name())) {
                throw new IllegalArgumentException("docker host " + s.name() + " is named twice");
            }
            hosts.put(s.name(), DockerHost.connect(s));
            pools.put(s.name(), s.pools());
        }
        Placement placement = new Placement(pools);
        DockerHosts all = new DockerHosts(instance, hosts, placement, report);
        for (DockerHost h : hosts.values()) {
            try {
                h.ping();
                int removed = all.removeLeftovers(h, false);
                if (removed > 0) {
                    report.accept("docker host " + h.name() + ": removed " + removed
                            + " container(s) and network(s) left by a Gantry that was killed");
                }
            } catch (IOException | RuntimeException e) {
                placement.down(h.name(), DockerErrors.message(e));
                report.accept("docker host " + h.spec() + " is unreachable, so no task is placed on it: "
                        + DockerErrors.message(e));
            }
        }
        all.timer.scheduleWithFixedDelay(() -> {
            try {
                all.recheck();
            } catch (RuntimeException e) { // an escaping exception would end the schedule
                report.accept("checking down docker hosts failed: " + DockerErrors.message(e));
            }
        }, RECHECK.toMillis(), RECHECK.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return all;
    }

    /**
     * Asks each down host whether it answers again; one that does gets the containers and networks its lost tasks
     * left removed (every task on it failed when it was lost, and none was placed on it since), then is marked up.
     * Runs every {@link #RECHECK}; returns the hosts marked up.
     */
    public synchronized List<String> recheck() {
        List<String> back = new ArrayList<>();
        for (String name : placement.downHosts().keySet()) {
            DockerHost h = hosts.get(name);
            try {
                h.ping();
                int removed = removeLeftovers(h, true);
                placement.up(name);
                back.add(name);
                report.accept("docker host " + name + " answers again: tasks are placed on it"
                        + (removed > 0 ? " (removed " + removed + " container(s) and network(s) of its lost tasks)"
                        : ""));
            } catch (IOException | RuntimeException e) {
                // still down
            }
        }
        return back;
    }

    public String instance() {
        return instance;
    }

    public Placement placement() {
        return placement;
    }

    public DockerHost host(String name) {
        DockerHost h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no docker host named " + name);
        }
        return h;
    }

    public List<DockerHost> all() {
        return List.copyOf(hosts.values());
    }

    /**
     * Removes this instance's containers and networks whose owner is no longer running, and with {@code ownToo} this
     * process's own as well; returns how many.
     */
    int removeLeftovers(DockerHost host, boolean ownToo) {
        java.util.function.Predicate<Map<String, String>> leftover = labels -> isOrphan(labels)
                || (ownToo && Owner.self().toString().equals(labels == null ? null : labels.get(Labels.OWNER)));
        int n = 0;
        List<Container> containers = host.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.INSTANCE, instance)).exec();
        for (Container c : containers) {
            if (leftover.test(c.getLabels())) {
                try {
                    host.client().removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                    n++;
                } catch (RuntimeException e) {
                    // gone meanwhile, or being removed already
                }
            }
        }
        List<Network> networks = new ArrayList<>(host.client().listNetworksCmd()
                .withFilter("label", List.of(Labels.INSTANCE + "=" + instance)).exec());
        for (Network net : networks) {
            if (leftover.test(net.getLabels())) {
                try {
                    host.client().removeNetworkCmd(net.getId()).exec();
                    n++;
                } catch (RuntimeException e) {
                    // still in use by a container being removed: the next start-up retries
                }
            }
        }
        return n;
    }

    private static boolean isOrphan(Map<String, String> labels) {
        Owner owner = Owner.parse(labels == null ? null : labels.get(Labels.OWNER));
        return owner == null || !owner.isAlive();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        hosts.values().forEach(DockerHost::close);
    }
}

package dev.gantry.docker.container;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import dev.gantry.docker.host.DockerHost;
import dev.gantry.engine.telemetry.ProcStats;

/**
 * A container's resource use from its cgroup, as the engine streams it (about once a second, like
 * {@code docker stats}): CPU seconds used so far and memory held now, counted as {@code docker stats} counts it
 * (usage less inactive file cache). Works for a remote engine too. Closed with its container.
 */
final class ContainerStats implements AutoCloseable {

    private final ResultCallback.Adapter<Statistics> stream;
    private volatile Statistics latest;

    private ContainerStats() {
        this.stream = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Statistics s) {
                latest = s;
            }

            @Override
            public void onError(Throwable error) {
                // the container is gone, or its host: the last reading stands
            }
        };
    }

    /** Starts following {@code container}'s stats; a host that cannot stream them leaves the usage at zero. */
    static ContainerStats follow(DockerHost host, String container) {
        ContainerStats s = new ContainerStats();
        try {
            host.client().statsCmd(container).exec(s.stream);
        } catch (RuntimeException e) {
            // no stats from this engine: telemetry reads zero for the container
        }
        return s;
    }

    /** The latest reading; zero before the first. */
    ProcStats.Usage usage() {
        Statistics s = latest;
        if (s == null) {
            return new ProcStats.Usage(0, 0);
        }
        double cpu = s.getCpuStats() == null || s.getCpuStats().getCpuUsage() == null
                || s.getCpuStats().getCpuUsage().getTotalUsage() == null ? 0
                : s.getCpuStats().getCpuUsage().getTotalUsage() / 1e9;
        return new ProcStats.Usage(cpu, memory(s.getMemoryStats()));
    }

    private static long memory(MemoryStatsConfig m) {
        if (m == null || m.getUsage() == null) {
            return 0;
        }
        StatsConfig st = m.getStats();
        Long inactive = st == null ? null : st.getTotalInactiveFile() != null ? st.getTotalInactiveFile()
                : st.getInactiveFile(); // cgroup v1 : v2
        return Math.max(0, m.getUsage() - (inactive == null ? 0 : inactive));
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (java.io.IOException e) {
            // a closed stream
        }
    }
}

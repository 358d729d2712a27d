package dev.gantry.engine.notify;

import dev.gantry.core.notify.Delivery;
import dev.gantry.core.notify.DeliveryLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A delivery log kept in memory, in the order attempts were recorded (the store's is tested in gantry-store). */
final class MemoryDeliveryLog implements DeliveryLog {

    private final List<Delivery> attempts = new CopyOnWriteArrayList<>();

    @Override
    public void record(Delivery attempt) {
        attempts.add(attempt);
    }

    @Override
    public List<Delivery> recent(String pipeline, int limit) {
        List<Delivery> newestFirst = new ArrayList<>(attempts.stream()
                .filter(d -> pipeline == null || pipeline.equals(d.pipeline())).toList());
        java.util.Collections.reverse(newestFirst);
        return newestFirst.stream().limit(limit).toList();
    }

    /** Every attempt, in the order recorded. */
    List<Delivery> all() {
        return List.copyOf(attempts);
    }

    /** The statuses of one channel's attempts, in order: e.g. {@code [failed, failed, delivered]}. */
    List<String> statuses(String channel) {
        return attempts.stream().filter(d -> d.channel().equals(channel))
                .sorted(Comparator.comparingInt(Delivery::attempt)).map(Delivery::status).toList();
    }

    boolean finished(String channel) {
        return attempts.stream().anyMatch(d -> d.channel().equals(channel)
                && (d.status().equals("delivered") || d.status().equals("gave_up")));
    }
}

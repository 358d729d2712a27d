package dev.gantry.engine.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The tests of one job, handed out in batches to whichever shard asks first. A batch is leased to a task until it
 * is acknowledged; when the task ends without acknowledging (it failed, or was killed mid-batch), the batch goes
 * back to the front of the queue. A shard that asks while others still hold leases is told to wait, so no test is
 * left behind by shards that stopped asking.
 */
public final class WorkQueue {

    /** What a shard gets when it asks for work. */
    public sealed interface Answer {

        /** Run these, then acknowledge the lease. */
        record Batch(String lease, List<String> items) implements Answer {
        }

        /** Nothing free now, but leases are out: ask again shortly. */
        record Wait() implements Answer {
        }

        /** Every item ran. */
        record Done() implements Answer {
        }
    }

    private record Lease(String task, List<String> items) {
    }

    private final List<String> order;
    private final Deque<String> pending;
    private final Map<String, Lease> leases = new HashMap<>();
    private int nextLease;

    /** @param order the items, longest first */
    public WorkQueue(List<String> order) {
        this.order = List.copyOf(order);
        this.pending = new ArrayDeque<>(order);
    }

    /** The items it was created with, so a shard that computed a different list can be told. */
    public List<String> order() {
        return order;
    }

    public synchronized Answer lease(String task, int max) {
        if (!pending.isEmpty()) {
            List<String> batch = new ArrayList<>();
            while (batch.size() < Math.max(1, max) && !pending.isEmpty()) {
                batch.add(pending.pollFirst());
            }
            String id = "L" + (++nextLease);
            leases.put(id, new Lease(task, batch));
            return new Answer.Batch(id, batch);
        }
        return leases.isEmpty() ? new Answer.Done() : new Answer.Wait();
    }

    /** Marks a batch as run; false when the lease is unknown (already returned). */
    public synchronized boolean ack(String lease) {
        return leases.remove(lease) != null;
    }

    /** Returns every batch {@code task} holds to the front of the queue; how many items came back. */
    public synchronized int release(String task) {
        int n = 0;
        for (Iterator<Lease> it = leases.values().iterator(); it.hasNext(); ) {
            Lease l = it.next();
            if (l.task().equals(task)) {
                for (int i = l.items().size() - 1; i >= 0; i--) {
                    pending.addFirst(l.items().get(i));
                }
                n += l.items().size();
                it.remove();
            }
        }
        return n;
    }
}

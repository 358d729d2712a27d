package dev.gantry.core.notify;

import java.util.List;

/** Where every notification delivery attempt is recorded; the store implements it. */
public interface DeliveryLog {

    void record(Delivery attempt);

    /** The latest attempts, newest first, of one pipeline (or of all when {@code pipeline} is null). */
    List<Delivery> recent(String pipeline, int limit);
}

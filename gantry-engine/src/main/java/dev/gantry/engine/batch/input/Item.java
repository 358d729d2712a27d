package dev.gantry.engine.batch.input;

import java.util.Map;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * One item on its way: its request, ready to send again, and its attempts so far. Lives only while in flight or
 * waiting for a retry (a {@link Delayed} in the dispatcher's retry queue), so memory is bounded by the dispatch window.
 */
public final class Item implements Delayed {

    private final String id;
    private final long line;
    private final String method;
    private final String path;
    private final Map<String, String> headers;
    private final byte[] body;
    private int attempts;
    private int charged;
    private long outagesAtStart;
    private boolean lastFailureTransient;
    private long dueNanos;

    /**
     * @param path    what follows the target's base: {@code /tts?x=1}
     * @param body    the request's body (JSON), or null for none
     */
    public Item(String id, long line, String method, String path, Map<String, String> headers, byte[] body) {
        this.id = id;
        this.line = line;
        this.method = method;
        this.path = path;
        this.headers = Map.copyOf(headers);
        this.body = body;
    }

    public String id() {
        return id;
    }

    public long line() {
        return line;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    /** Attempts made, the current one included. */
    public int attempts() {
        return attempts;
    }

    /** Starts an attempt. */
    public void attempt() {
        attempt(0);
    }

    /** Starts an attempt while its target has gone down {@code outages} times so far (see {@link #outagesAtStart}). */
    public void attempt(long outages) {
        attempts++;
        outagesAtStart = outages;
    }

    /** How many times the target had gone down when the current attempt started. */
    public long outagesAtStart() {
        return outagesAtStart;
    }

    /** Transient failures that count against the item's retries (not those seen while its service was down). */
    public int charged() {
        return charged;
    }

    /** Records a transient failure: {@code charge} false when the service, not the item, was at fault. */
    public void failedTransiently(boolean charge) {
        if (charge) {
            charged++;
        }
        lastFailureTransient = true;
    }

    /**
     * Takes back the last transient failure's charge: the target turned out to be down when the item came to be
     * retried, so the failure was most likely the service dying under it.
     */
    public void refundIfCharged() {
        if (lastFailureTransient && charged > 0) {
            charged--;
        }
        lastFailureTransient = false;
    }

    /** Makes the item due at {@code dueNanos} ({@link System#nanoTime()}). */
    public void dueAt(long dueNanos) {
        this.dueNanos = dueNanos;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }
}

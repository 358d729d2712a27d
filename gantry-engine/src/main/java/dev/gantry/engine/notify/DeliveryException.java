package dev.gantry.engine.notify;

/**
 * A notification was not delivered. {@code retryable} is false for answers that another attempt would only repeat
 * (a receiver that says the URL does not exist, a rejected login), so they are given up at once.
 */
public final class DeliveryException extends Exception {

    private final boolean retryable;

    public DeliveryException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public DeliveryException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}

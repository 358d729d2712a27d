package dev.gantry.server.http;

/** A request the API refuses: its status code and a message for whoever sent it, returned as JSON. */
public final class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, what + " not found");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }
}

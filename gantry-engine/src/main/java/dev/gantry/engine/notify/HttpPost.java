package dev.gantry.engine.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * One POST of a JSON body with a time limit, turning the answer into a delivery result: 2xx is delivered; 408, 429
 * and 5xx are worth retrying; any other status (a URL that does not exist, a refused signature) is not. Shared by
 * the Slack and webhook channels.
 */
final class HttpPost {

    private final HttpClient client;
    private final Duration timeout;

    HttpPost(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    String post(URI url, byte[] body, Map<String, String> headers) throws DeliveryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<Void> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new DeliveryException("no answer within " + timeout.toSeconds() + "s", true, e);
        } catch (IOException e) {
            throw new DeliveryException(describe(e), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted: Gantry is stopping", false, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return "HTTP " + status;
        }
        boolean retryable = status == 408 || status == 429 || status >= 500;
        throw new DeliveryException("HTTP " + status, retryable);
    }

    private static String describe(IOException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        String what = root.getClass().getSimpleName();
        return root.getMessage() == null ? what : what + ": " + root.getMessage();
    }
}

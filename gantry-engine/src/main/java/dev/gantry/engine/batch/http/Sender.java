package dev.gantry.engine.batch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.batch.input.Item;
import dev.gantry.engine.batch.output.ContentTypes;
import dev.gantry.engine.batch.output.OutputDirectory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one attempt of an item and reads its answer to the end: a file answer streamed into {@code .partial/} while
 * hashed, a JSON answer parsed, anything else classified as a transient or permanent failure. The whole attempt,
 * body included, is bounded by the batch's timeout; {@link #abortAll()} stops every attempt under way.
 */
public final class Sender {

    /**
     * JSON answers are read into memory (and parsed, and kept until their line is written); a larger one is not what a
     * batch asks for, and {@code concurrency} of them at once must fit a small heap.
     */
    static final int MAX_JSON_BYTES = 16 << 20;
    private static final int EXCERPT_READ = 4096;
    private static final int EXCERPT_CHARS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The error kind of an item whose filled request the HTTP client refuses (a method or URL it cannot send, a
     * header value with CR or LF): an item error like {@code http}, kept on a rerun, not an input-line kind.
     */
    public static final String REQUEST = "request";

    private final String base;
    private final Duration timeout;
    private final OutputDirectory out;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private volatile boolean aborting;

    /** Thrown when the answer cannot be written locally: the output is not writable and the batch must stop. */
    public static final class OutputException extends IOException {

        OutputException(String message, IOException cause) {
            super(message + ": " + cause.getMessage(), cause);
        }
    }

    /**
     * The one HTTP client of the JVM, built on first use. On Java 17 a client cannot be closed: each one built keeps
     * a selector thread and its idle connections until it is garbage-collected, and the server runs many batches in
     * one JVM. It has no connect timeout of its own: each attempt is bounded as a whole by its request's timeout and
     * by the sender's own deadline, which interrupts the send, a hanging connect included.
     */
    private static final class Shared {

        static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Sender(URI base, Duration timeout, OutputDirectory out, ScheduledExecutorService timer, Clock clock) {
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.timeout = timeout;
        this.out = out;
        this.timer = timer;
        this.clock = clock;
    }

    /** Stops every attempt under way and any that starts later: each ends {@link Answer.Abandoned}. */
    public void abortAll() {
        aborting = true;
        calls.forEach(c -> c.stop(false));
    }

    /** Makes one attempt; throws only when the answer cannot be written locally. */
    public Answer send(Item item) throws OutputException {
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + item.path())).timeout(timeout)
                    .method(item.method(), item.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(item.body()));
            for (Map.Entry<String, String> h : item.headers().entrySet()) {
                b.header(h.getKey(), h.getValue());
            }
            request = b.build();
        } catch (IllegalArgumentException e) {
            return new Answer.Failure(false, REQUEST, null, "the request cannot be built: " + oneLine(e.getMessage()),
                    null);
        }
        Call call = new Call();
        calls.add(call);
        ScheduledFuture<?> deadline = timer.schedule(() -> call.stop(true), timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            if (aborting) {
                return new Answer.Abandoned();
            }
            return answer(call, request);
        } finally {
            deadline.cancel(false);
            calls.remove(call);
        }
    }

    private Answer answer(Call call, HttpRequest request) throws OutputException {
        HttpResponse<InputStream> response;
        try {
            // the blocking send, not sendAsync: sendAsync hands every answer to CompletableFuture's default
            // executor, which on a machine of two cores or fewer starts a thread per task (one per request)
            if (!call.waitFor(Thread.currentThread())) {
                return networkFailure(call, new IOException("stopped"));
            }
            response = Shared.CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            if (call.stopped()) {
                return networkFailure(call, e);
            }
            Thread.currentThread().interrupt(); // not ours: whoever interrupted the worker wants it to stop
            return new Answer.Abandoned();
        } catch (IOException e) {
            return networkFailure(call, e);
        } finally {
            call.answered();
        }
        try (InputStream body = response.body()) {
            call.body = body;
            if (call.stopped()) {
                body.close();
            }
            return read(call, response, body);
        } catch (IOException e) {
            if (e instanceof OutputException oe) {
                throw oe;
            }
            return networkFailure(call, e);
        }
    }

    private Answer read(Call call, HttpResponse<InputStream> response, InputStream body) throws IOException {
        int status = response.statusCode();
        String type = response.headers().firstValue("content-type").orElse(null);
        if (status < 200 || status > 299) {
            String excerpt = excerpt(body);
            boolean transientStatus = status >= 500 || status == 429 || status == 408;
            Duration retryAfter = transientStatus
                    ? RetryAfter.parse(response.headers().firstValue("retry-after").orElse(null), clock) : null;
            String what = status >= 300 && status < 400 ? " (a redirect, which a batch does not follow)" : "";
            return new Answer.Failure(transientStatus, "http", status,
                    "HTTP " + status + what + (excerpt.isEmpty() ? "" : ": " + excerpt), retryAfter);
        }
        if (ContentTypes.isJson(type)) {
            return json(status, body);
        }
        return store(call, status, type, body);
    }

    private static Answer json(int status, InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_JSON_BYTES + 1);
        if (bytes.length > MAX_JSON_BYTES) {
            return badAnswer(status, "a JSON answer larger than " + (MAX_JSON_BYTES >> 20) + " MiB");
        }
        if (bytes.length == 0) {
            return badAnswer(status, "an empty answer with a JSON content type");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                return badAnswer(status, "an empty answer with a JSON content type");
            }
            return new Answer.Json(status, node);
        } catch (IOException e) {
            return badAnswer(status, "an answer with a JSON content type that does not parse: "
                    + oneLine(e.getMessage()));
        }
    }

    private Answer store(Call call, int status, String type, InputStream body) throws IOException {
        Path temporary = out.newTemporary();
        MessageDigest digest = sha256();
        long bytes = 0;
        boolean done = false;
        try (FileChannel ch = openTemporary(temporary)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = body.read(buf)) > 0) {
                digest.update(buf, 0, n);
                write(ch, buf, n, temporary);
                bytes += n;
            }
            if (call.stopped()) {
                throw new IOException("stopped");
            }
            if (bytes == 0) {
                return badAnswer(status, "an empty answer (HTTP " + status + ", "
                        + (type == null ? "no content type" : type) + ")");
            }
            try {
                ch.force(true);
            } catch (IOException e) {
                throw new OutputException("cannot sync " + temporary, e);
            }
            done = true;
            return new Answer.Stored(status, temporary, ContentTypes.extension(type), bytes,
                    HexFormat.of().formatHex(digest.digest()));
        } finally {
            if (!done) {
                OutputDirectory.discard(temporary);
            }
        }
    }

    private static FileChannel openTemporary(Path temporary) throws OutputException {
        try {
            return FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new OutputException("cannot write " + temporary, e);
        }
    }

    private static void write(FileChannel ch, byte[] buf, int n, Path temporary) throws OutputException {
        try {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            throw new OutputException("cannot write " + temporary, e);
        }
    }

    private Answer networkFailure(Call call, Throwable e) {
        if (aborting || call.aborted) {
            return new Answer.Abandoned();
        }
        if (call.expired || e instanceof HttpTimeoutException) {
            return new Answer.Failure(true, "timeout", null, "no complete answer within " + timeout, null);
        }
        String what = e instanceof ConnectException ? "cannot connect" : "connection failed";
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage());
        return new Answer.Failure(true, "connection", null, what + ": " + message, null);
    }

    private static Answer.Failure badAnswer(int status, String what) {
        return new Answer.Failure(false, "bad_answer", status, "not what was asked: " + what, null);
    }

    private static String excerpt(InputStream body) {
        try {
            byte[] bytes = body.readNBytes(EXCERPT_READ);
            String s = oneLine(new String(bytes, StandardCharsets.UTF_8));
            return s.length() > EXCERPT_CHARS ? s.substring(0, EXCERPT_CHARS) + "..." : s;
        } catch (IOException e) {
            return "";
        }
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    /** One attempt under way, which the timeout or an abort can stop. */
    private static final class Call {

        private Thread waiting;
        volatile InputStream body;
        volatile boolean expired;
        volatile boolean aborted;

        boolean stopped() {
            return expired || aborted;
        }

        /** The thread is about to wait for the answer's headers; false when the call was stopped already. */
        synchronized boolean waitFor(Thread thread) {
            waiting = thread;
            return !stopped();
        }

        /**
         * The headers came (or the wait ended): a stop from now on closes the body instead of interrupting the
         * thread, and an interrupt of ours that raced in is cleared so that it cannot break writing the answer.
         */
        synchronized void answered() {
            waiting = null;
            if (stopped()) {
                Thread.interrupted();
            }
        }

        void stop(boolean timedOut) {
            synchronized (this) {
                if (timedOut) {
                    expired = true;
                } else {
                    aborted = true;
                }
                if (waiting != null) {
                    waiting.interrupt();
                }
            }
            InputStream b = body;
            if (b != null) {
                try {
                    b.close();
                } catch (IOException e) {
                    // closing is how the attempt is stopped; nothing else to do
                }
            }
        }
    }
}

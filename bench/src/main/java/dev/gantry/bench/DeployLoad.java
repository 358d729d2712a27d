package dev.gantry.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A steady load on one port: {@code clients} threads each send {@code GET /infer} in a loop, a new connection per
 * request (as curl does, and so that a switch of the port's backend is seen by the very next request), and record
 * every answer with wall-clock times, so that answers can be laid against the deploy's own events and the moment
 * a service logged.
 */
final class DeployLoad implements AutoCloseable {

    /** What one request got. */
    enum Result {
        /** 200 from a release that speaks. */
        VOICE,
        /** 200 from a broken release: the kind of answer a gate exists to keep away from users. */
        SILENCE,
        /** Refused, reset, timed out, or not 200. */
        FAILED
    }

    /** One request: when it was sent and answered (epoch microseconds), what came back, from which release. */
    record Answer(long sentMicros, long answeredMicros, Result result, String release, String error) {
    }

    private final int port;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean running = true;

    DeployLoad(int port, int clients) {
        this.port = port;
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(this::loop, "load-" + i);
            t.setDaemon(true);
            this.clients.add(t);
        }
        this.clients.forEach(Thread::start);
    }

    /** Every answer so far, in the order they were answered. */
    List<Answer> answers() {
        List<Answer> list = new ArrayList<>(answers);
        list.sort(Comparator.comparingLong(Answer::answeredMicros));
        return list;
    }

    private void loop() {
        while (running) {
            Answer a = once();
            answers.add(a);
            try {
                // A short pause keeps the load steady (and a refused port from turning into a busy loop).
                Thread.sleep(a.result() == Result.FAILED ? 5 : 2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Answer once() {
        long sent = nowMicros();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /infer HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readAll(s.getInputStream());
            long answered = nowMicros();
            int lineEnd = response.indexOf("\r\n");
            String status = lineEnd < 0 ? response : response.substring(0, lineEnd);
            int bodyAt = response.indexOf("\r\n\r\n");
            String body = bodyAt < 0 ? "" : response.substring(bodyAt + 4).trim();
            if (!status.matches("HTTP/1\\.[01] 200.*")) {
                return new Answer(sent, answered, Result.FAILED, null, status.isEmpty() ? "empty answer" : status);
            }
            String[] words = body.split(" ", 2);
            Result r = words[0].equals("voice") ? Result.VOICE : words[0].equals("silence") ? Result.SILENCE
                    : Result.FAILED;
            return new Answer(sent, answered, r, words.length > 1 ? words[1] : null,
                    r == Result.FAILED ? "unexpected body: " + body : null);
        } catch (IOException e) {
            return new Answer(sent, nowMicros(), Result.FAILED, null, e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : clients) {
            t.join(30_000);
        }
    }

    /** The longest time, in ms, between two consecutive voiced answers among {@code answers} (answer order). */
    static double longestGapMs(List<Answer> answers) {
        long prev = -1;
        long longest = 0;
        for (Answer a : answers) {
            if (a.result() != Result.VOICE) {
                continue;
            }
            if (prev >= 0) {
                longest = Math.max(longest, a.answeredMicros() - prev);
            }
            prev = a.answeredMicros();
        }
        return longest / 1000.0;
    }

    static long count(List<Answer> answers, Result r) {
        return answers.stream().filter(a -> a.result() == r).count();
    }
}

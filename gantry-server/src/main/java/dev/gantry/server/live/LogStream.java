package dev.gantry.server.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.record.LogHub;
import dev.gantry.server.Threads;
import dev.gantry.server.http.Json;
import dev.gantry.server.live.Ansi;
import dev.gantry.store.BuildRow;
import dev.gantry.store.Store;
import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A task's log as server-sent events: what the store holds from the line asked for ({@code Last-Event-ID} on a
 * reconnect, else {@code ?from=}), then every new line as it is printed, until the task ends. Each {@code lines}
 * event carries a JSON array of lines, each {@code {"html": ..., "at": ...}}: rendered to HTML (ANSI colours as
 * spans), and when it was printed in epoch milliseconds (null when not known); its id is the number of the line
 * after them. An {@code end} event says the task has ended.
 */
public final class LogStream implements AutoCloseable {

    static final int BATCH = 500;

    private final Store store;
    private final LogHub hub;
    private final ObjectMapper json = Json.mapper();
    private final ExecutorService pumps = Executors.newCachedThreadPool(Threads.daemon("gantry-sse"));

    public LogStream(Store store, LogHub hub) {
        this.store = store;
        this.hub = hub;
    }

    public void stream(SseClient client, BuildRow build, String task, long from) {
        client.keepAlive();
        pumps.execute(() -> pump(client, build, task, from));
    }

    private void pump(SseClient client, BuildRow build, String task, long from) {
        try {
            long next = from;
            while (!client.terminated()) {
                LogHub.Watch watch = hub.watch(build.id(), task);
                try (AutoCloseable stop = watch.stop()) {
                    next = sendStored(client, build.id(), task, next, watch.stored());
                    List<Shown> batch = new ArrayList<>();
                    for (LogHub.Line l : watch.pending()) {
                        if (l.number() >= next) {
                            batch.add(Shown.of(l));
                        }
                    }
                    next = send(client, batch, next + batch.size());
                    if (watch.ended()) {
                        if (taskEnded(build, task)) {
                            client.sendEvent("end", "{}", Long.toString(next));
                            return;
                        }
                        Thread.sleep(250); // not started yet, or between a task's end and the build's
                        continue;
                    }
                    while (!client.terminated()) {
                        LogHub.Line l = watch.next().poll(15, TimeUnit.SECONDS);
                        if (l == null) {
                            client.sendComment("keep-alive");
                            continue;
                        }
                        List<LogHub.Line> got = new ArrayList<>(List.of(l));
                        watch.next().drainTo(got, BATCH - 1);
                        List<Shown> texts = new ArrayList<>();
                        boolean end = false;
                        for (LogHub.Line g : got) {
                            if (g.isEnd()) {
                                end = true;
                            } else if (g.number() >= next) {
                                texts.add(Shown.of(g));
                                next = g.number() + 1;
                            }
                        }
                        send(client, texts, next);
                        if (end) {
                            break;
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the client went away mid-send; it reconnects with Last-Event-ID if it wants more
        } finally {
            client.close();
        }
    }

    /** Whether nothing more will be printed: the task ended, or the build did (a task never started). */
    private boolean taskEnded(BuildRow build, String task) {
        return store.builds().find(build.pipeline(), build.number()).map(b -> b.hasEnded() || b.tasks().stream()
                .anyMatch(t -> t.name().equals(task) && !t.status().equals("queued") && !t.status().equals("running")))
                .orElse(true);
    }

    private long sendStored(SseClient client, String buildId, String task, long from, long stored) throws Exception {
        long next = from;
        while (next < stored && !client.terminated()) {
            List<Shown> lines = store.logs().timedLines(buildId, task, next, (int) Math.min(BATCH, stored - next))
                    .stream().map(Shown::of).toList();
            if (lines.isEmpty()) {
                break;
            }
            next = send(client, lines, next + lines.size());
        }
        return next;
    }

    private long send(SseClient client, List<Shown> lines, long next) throws Exception {
        if (!lines.isEmpty()) {
            client.sendEvent("lines", json.writeValueAsString(lines), Long.toString(next));
        }
        return next;
    }

    /** A line as the browser gets it: HTML, and when it was printed (epoch milliseconds; null when not known). */
    record Shown(String html, Long at) {

        static Shown of(LogHub.Line l) {
            return new Shown(Ansi.toHtml(l.text()), l.at());
        }

        static Shown of(dev.gantry.store.LogRepository.Line l) {
            return new Shown(Ansi.toHtml(l.text()), l.at() == null ? null : l.at().toEpochMilli());
        }
    }

    @Override
    public void close() {
        pumps.shutdownNow();
    }
}

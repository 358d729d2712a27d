package dev.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry pipeline add|list|remove}: registers pipelines with a running server through its API. */
@Command(name = "pipeline", description = "Register pipelines with a running gantry server.",
        subcommands = {PipelineCommand.Add.class, PipelineCommand.ListPipelines.class, PipelineCommand.Remove.class})
final class PipelineCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.time.Duration CONNECT_TIMEOUT = java.time.Duration.ofSeconds(10);

    /** Where the server is, for every subcommand. */
    static class ServerOption {
        @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
                description = "The server's address (default http://127.0.0.1:8080).")
        String server;

        @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:GANTRY_SERVER_TOKEN}",
                description = "The server's token, if it has one (default: GANTRY_SERVER_TOKEN).")
        String token;
    }

    @Command(name = "add", description = "Register a git repository's pipeline; the server builds its branch's head "
            + "at once and then every new commit and tag.")
    static final class Add implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ServerOption server;

        @Parameters(index = "0", paramLabel = "REPOSITORY", description = "A git URL, or a path on the server's machine.")
        String repository;

        @Option(names = "--file", description = "The pipeline file in the repository (default gantry.yml).")
        String file;

        @Option(names = "--branch", description = "The branch to watch (default main).")
        String branch;

        @Option(names = "--name", description = "The pipeline's name (default: the repository's).")
        String name;

        @Option(names = "--check-every", paramLabel = "DURATION", description = "How often to poll (default 1m).")
        String checkEvery;

        @Option(names = "--webhook-secret", paramLabel = "SECRET",
                description = "The secret GitHub signs webhooks with, or GitLab's token.")
        String webhookSecret;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String path = repository;
            if (!repository.contains("://") && java.nio.file.Files.isDirectory(java.nio.file.Path.of(repository))) {
                path = java.nio.file.Path.of(repository).toAbsolutePath().normalize().toString();
            }
            Map<String, String> body = new LinkedHashMap<>();
            body.put("repository", path);
            body.put("file", file);
            body.put("branch", branch);
            body.put("name", name);
            body.put("check_every", checkEvery);
            body.put("webhook_secret", webhookSecret);
            Reply reply = request(spec, server, "POST", "/api/pipelines", JSON.writeValueAsString(body));
            if (reply.failed()) {
                return reply.exitCode();
            }
            JsonNode added = reply.json();
            spec.commandLine().getOut().println("added " + added.path("name").asText() + ": " + server.server
                    + "/pipelines/" + added.path("name").asText());
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List registered pipelines with their last build.")
    static final class ListPipelines implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ServerOption server;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Reply reply = request(spec, server, "GET", "/api/pipelines", null);
            if (reply.failed()) {
                return reply.exitCode();
            }
            for (JsonNode p : reply.json()) {
                JsonNode last = p.path("last_build");
                spec.commandLine().getOut().println(p.path("name").asText() + "  " + p.path("repository").asText()
                        + "  " + p.path("branch").asText() + "  " + (last.isMissingNode() || last.isNull() ? "no builds"
                        : "#" + last.path("number").asText() + " " + last.path("status").asText()));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", description = "Stop building a pipeline; its builds stay.")
    static final class Remove implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ServerOption server;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return request(spec, server, "DELETE", "/api/pipelines/" + name, null).exitCode();
        }
    }

    /** What the server answered: its JSON, or (after its message was printed) the exit code to end with. */
    record Reply(JsonNode json, int exitCode) {
        boolean failed() {
            return exitCode != ExitCodes.OK;
        }
    }

    /**
     * Sends one request. The server refusing it is invalid input (2), or a failure (1) when the server itself
     * failed; a server that cannot be reached is said so, and exits {@link ExitCodes#UNREACHABLE}.
     */
    static Reply request(picocli.CommandLine.Model.CommandSpec spec, ServerOption server, String method,
                         String path, String body) throws InterruptedException {
        java.io.PrintWriter err = spec.commandLine().getErr();
        URI uri;
        try {
            uri = URI.create(server.server + path);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
        } catch (IllegalArgumentException e) {
            err.println("gantry: invalid --server '" + server.server + "': write its address such as"
                    + " http://127.0.0.1:8080");
            return new Reply(null, ExitCodes.INVALID);
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json");
            if (server.token != null && !server.token.isBlank()) {
                request.header("Authorization", "Bearer " + server.token);
            }
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            } catch (IOException notJson) {
                err.println("gantry: " + server.server + " answered " + response.statusCode()
                        + " with something that is not a Gantry server's JSON");
                return new Reply(null, ExitCodes.FAILED);
            }
            if (response.statusCode() >= 300) {
                err.println("gantry: " + json.path("message").asText(response.body()));
                return new Reply(null, response.statusCode() >= 500 ? ExitCodes.FAILED : ExitCodes.INVALID);
            }
            return new Reply(json, ExitCodes.OK);
        } catch (ConnectException e) {
            err.println("gantry: cannot reach the Gantry server at " + server.server + ": connection refused"
                    + " (start one with: gantry server, or point --server at it)");
            return new Reply(null, ExitCodes.UNREACHABLE);
        } catch (IOException e) {
            err.println("gantry: cannot reach the Gantry server at " + server.server + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
            return new Reply(null, ExitCodes.UNREACHABLE);
        }
    }
}

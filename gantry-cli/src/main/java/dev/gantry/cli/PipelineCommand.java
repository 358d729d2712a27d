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
            JsonNode added = request(spec, server, "POST", "/api/pipelines", JSON.writeValueAsString(body));
            if (added == null) {
                return ExitCodes.INVALID;
            }
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
            JsonNode list = request(spec, server, "GET", "/api/pipelines", null);
            if (list == null) {
                return ExitCodes.INVALID;
            }
            for (JsonNode p : list) {
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
            return request(spec, server, "DELETE", "/api/pipelines/" + name, null) == null ? ExitCodes.INVALID
                    : ExitCodes.OK;
        }
    }

    /** The response's JSON, or null after printing the server's message (or why it could not be reached). */
    static JsonNode request(picocli.CommandLine.Model.CommandSpec spec, ServerOption server, String method,
                            String path, String body) throws InterruptedException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.server + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json");
            if (server.token != null && !server.token.isBlank()) {
                request.header("Authorization", "Bearer " + server.token);
            }
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() >= 300) {
                spec.commandLine().getErr().println("gantry: " + json.path("message").asText(response.body()));
                return null;
            }
            return json;
        } catch (ConnectException e) {
            spec.commandLine().getErr().println("gantry: no server at " + server.server
                    + " (start one with: gantry server)");
            return null;
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("gantry: cannot reach " + server.server + ": " + e.getMessage());
            return null;
        }
    }
}

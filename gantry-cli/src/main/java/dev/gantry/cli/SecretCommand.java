package dev.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.secret.SecretRules;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry secret set|list|remove}: a running server's secrets. A value is read from standard input, never
 * taken as an argument, where {@code ps} and shell history would keep it.
 */
@Command(name = "secret", description = "Manage a gantry server's secrets (values are read from standard input).")
final class SecretCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The command with its subcommands, which read standard input through {@code main}. */
    static CommandLine command(Main main) {
        return new CommandLine(new SecretCommand())
                .addSubcommand(new Set(main))
                .addSubcommand(new ListSecrets())
                .addSubcommand(new Remove());
    }

    /** Which secrets: one pipeline's, or the global ones. */
    static class Scope {
        @Option(names = "--pipeline", paramLabel = "NAME",
                description = "The pipeline's own secret (it shadows a global one of the same name); "
                        + "without it, a global secret every pipeline sees.")
        String pipeline;

        String path(String name) {
            String base = pipeline == null ? "/api/secrets"
                    : "/api/pipelines/" + URLEncoder.encode(pipeline, StandardCharsets.UTF_8).replace("+", "%20")
                    + "/secrets";
            return name == null ? base : base + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                    .replace("+", "%20");
        }

        String describe(String name) {
            return "secret " + name + (pipeline == null ? " (global)" : " of pipeline " + pipeline);
        }
    }

    @Command(name = "set", description = "Set a secret to the value on standard input (one final newline is "
            + "dropped), e.g. gantry secret set hf-token < token.txt")
    static final class Set implements Callable<Integer> {
        @CommandLine.Mixin
        PipelineCommand.ServerOption server;

        @CommandLine.Mixin
        Scope scope;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private final Main main;

        Set(Main main) {
            this.main = main;
        }

        @Override
        public Integer call() throws Exception {
            if (main.isTerminal()) {
                main.err().println("reading the value of " + name + " from standard input; end it with Ctrl-D");
            }
            String value;
            try {
                value = LocalSecrets.withoutFinalNewline(new String(main.in().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                spec.commandLine().getErr().println("gantry: cannot read the value from standard input: "
                        + e.getMessage());
                return ExitCodes.INVALID;
            }
            Optional<String> problem = SecretRules.problem(name, value);
            if (problem.isPresent()) {
                spec.commandLine().getErr().println("gantry: " + problem.get());
                return ExitCodes.INVALID;
            }
            PipelineCommand.Reply set = PipelineCommand.request(spec, server, "PUT", scope.path(name),
                    JSON.writeValueAsString(Map.of("value", value)));
            if (set.failed()) {
                return set.exitCode();
            }
            spec.commandLine().getOut().println("set " + scope.describe(name));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List secrets by name (values are never shown): the global ones, or "
            + "those a pipeline sees with --pipeline.")
    static final class ListSecrets implements Callable<Integer> {
        @CommandLine.Mixin
        PipelineCommand.ServerOption server;

        @CommandLine.Mixin
        Scope scope;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PipelineCommand.Reply reply = PipelineCommand.request(spec, server, "GET", scope.path(null), null);
            if (reply.failed()) {
                return reply.exitCode();
            }
            JsonNode list = reply.json();
            for (JsonNode s : list) {
                spec.commandLine().getOut().println(s.path("name").asText() + "  " + s.path("scope").asText()
                        + "  updated " + s.path("updated_at").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", description = "Remove a secret; builds that reference it then error until it is set.")
    static final class Remove implements Callable<Integer> {
        @CommandLine.Mixin
        PipelineCommand.ServerOption server;

        @CommandLine.Mixin
        Scope scope;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PipelineCommand.Reply removed = PipelineCommand.request(spec, server, "DELETE", scope.path(name), null);
            if (removed.failed()) {
                return removed.exitCode();
            }
            spec.commandLine().getOut().println("removed " + scope.describe(name));
            return ExitCodes.OK;
        }
    }
}

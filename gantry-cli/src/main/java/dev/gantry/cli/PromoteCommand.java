package dev.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry deploy ENV --build N}: asks a running server to deploy again the release build N made in ENV
 * (gated, in place of the live one), through {@code POST /api/pipelines/{name}/environments/{env}/deploy}. Without
 * {@code --pipeline}, the one registered pipeline that has ENV is meant.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true, description = "On a gantry server: deploy again the"
        + " release a build made in an environment (gated like a deploy, in place of the live one). 'status' and"
        + " 'stop' work on the releases a gantry run deployed on this machine.")
final class PromoteCommand implements Callable<Integer> {

    @Mixin
    PipelineCommand.ServerOption server;

    // neither is required by picocli: it would demand them before 'status' or 'stop' when this command is their parent
    @Parameters(index = "0", arity = "0..1", paramLabel = "ENV", description = "The environment, e.g. production.")
    String environment;

    @Option(names = "--build", paramLabel = "N", description = "The number of the build whose release to deploy.")
    Long build;

    @Option(names = "--pipeline", paramLabel = "NAME",
            description = "The pipeline (default: the only registered pipeline that has ENV).")
    String pipeline;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (environment == null || build == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), environment == null
                    ? "say which environment: gantry deploy ENV --build N" : "say which build's release to deploy:"
                    + " gantry deploy " + environment + " --build N");
        }
        String name = pipeline;
        if (name == null) {
            PipelineCommand.Reply pipelines = PipelineCommand.request(spec, server, "GET", "/api/pipelines", null);
            if (pipelines.failed()) {
                return pipelines.exitCode();
            }
            List<String> having = new ArrayList<>();
            for (JsonNode p : pipelines.json()) {
                String candidate = p.path("name").asText();
                PipelineCommand.Reply envs = PipelineCommand.request(spec, server, "GET",
                        "/api/pipelines/" + segment(candidate) + "/environments", null);
                if (envs.failed()) {
                    return envs.exitCode();
                }
                for (JsonNode e : envs.json()) {
                    if (e.path("environment").asText().equals(environment)) {
                        having.add(candidate);
                    }
                }
            }
            if (having.size() != 1) {
                spec.commandLine().getErr().println("gantry: " + (having.isEmpty()
                        ? "no pipeline on " + server.server + " has released to " + environment
                        + ": check the name (gantry releases " + environment + " on the machine that deploys)"
                        : "pipelines " + String.join(", ", having) + " all have " + environment
                        + ": say which with --pipeline NAME"));
                return ExitCodes.INVALID;
            }
            name = having.get(0);
        }
        PipelineCommand.Reply reply = PipelineCommand.request(spec, server, "POST", "/api/pipelines/" + segment(name)
                + "/environments/" + segment(environment) + "/deploy", "{\"build\": " + build + "}");
        if (reply.failed()) {
            return reply.exitCode();
        }
        JsonNode r = reply.json();
        spec.commandLine().getOut().println(r.path("message").asText());
        if (!r.path("done").asBoolean()) {
            spec.commandLine().getOut().println("follow it: " + server.server + "/pipelines/" + segment(name)
                    + "/environments");
            return ExitCodes.OK;
        }
        return r.path("live").asBoolean() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

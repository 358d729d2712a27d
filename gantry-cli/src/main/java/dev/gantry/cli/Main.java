package dev.gantry.cli;

import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.pipeline.Problem;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gantry} command. Every failure ends as a message and an exit code, never a stack trace. */
@Command(name = "gantry", mixinStandardHelpOptions = true, version = "gantry 0.1.0",
        description = "A CI/CD engine for teams that ship AI model services.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main {

    private final PrintStream out;
    private final PrintStream err;
    private final java.io.InputStream in;
    private final Map<String, String> env;
    private final boolean terminal;

    Main(PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        this(out, err, System.in, env, terminal);
    }

    Main(PrintStream out, PrintStream err, java.io.InputStream in, Map<String, String> env, boolean terminal) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = new Main(out, err, System.getenv(), System.console() != null).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line and returns its exit code. */
    public int execute(String... args) {
        Thread.setDefaultUncaughtExceptionHandler(uncaughtHandler(err, debug(env)));
        CommandLine cli = new CommandLine(this)
                .addSubcommand(new RunCommand(this))
                .addSubcommand(new ValidateCommand(this))
                .addSubcommand(new AudioCommand(this))
                .addSubcommand(new TestsCommand(this))
                .addSubcommand(new BatchCommand(this))
                .addSubcommand(new BuildsCommand(this))
                .addSubcommand(new ReleasesCommand(this))
                .addSubcommand(new RollbackCommand(this))
                .addSubcommand(DeployCommand.command(this))
                .addSubcommand(new ServerCommand(this))
                .addSubcommand(PipelineCommand.class)
                .addSubcommand(SecretCommand.command(this));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e));
        if (args.length == 0) {
            cli.usage(out);
            return ExitCodes.INVALID;
        }
        return cli.execute(args);
    }

    private int report(Exception e) {
        if (e instanceof PipelineException pe) {
            for (Problem p : pe.problems()) {
                err.println(p.format());
            }
            int n = pe.problems().size();
            err.println(n == 1 ? "1 error" : n + " errors");
            return ExitCodes.INVALID;
        }
        if (e instanceof CommandLine.ParameterException) {
            err.println("gantry: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        if (e instanceof IOException) {
            err.println("gantry: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        err.println("gantry: internal error: " + e);
        if (debug(env)) {
            e.printStackTrace(err);
        } else {
            err.println("(set GANTRY_DEBUG=1 for the stack trace)");
        }
        return ExitCodes.FAILED;
    }

    /** Whether {@code GANTRY_DEBUG} asks for stack traces (any value but empty, 0 or false). */
    static boolean debug(Map<String, String> env) {
        String v = env.get("GANTRY_DEBUG");
        return v != null && !v.isEmpty() && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    /**
     * What a thread that dies of an exception nobody caught prints, in {@code gantry run} and in the server alike:
     * one line naming the thread and the message, the stack trace only with {@code debug}.
     */
    static Thread.UncaughtExceptionHandler uncaughtHandler(PrintStream err, boolean debug) {
        return (thread, e) -> {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            err.println("gantry: internal error in thread " + thread.getName() + ": " + message);
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
        };
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    java.io.InputStream in() {
        return in;
    }

    Map<String, String> env() {
        return env;
    }

    boolean isTerminal() {
        return terminal;
    }

    /**
     * Turns SIGINT and SIGTERM into a call of {@code handler} (with the signal's name) until closed, so a run can
     * stop its tasks cleanly and still print its summary.
     */
    AutoCloseable onInterrupt(Consumer<String> handler) {
        sun.misc.SignalHandler h = sig -> handler.accept(sig.getName());
        sun.misc.SignalHandler oldInt = sun.misc.Signal.handle(new sun.misc.Signal("INT"), h);
        sun.misc.SignalHandler oldTerm = sun.misc.Signal.handle(new sun.misc.Signal("TERM"), h);
        return () -> {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), oldInt);
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), oldTerm);
        };
    }
}

package dev.gantry.docker.testing;

/**
 * A test JVM that dies abruptly (no shutdown hooks, as under SIGKILL) while its second dockerd runs a container:
 * {@link SecondDaemonTest} runs it to prove that the next {@link SecondDaemon#start()} removes such leftovers.
 */
public final class OrphanDaemonMain {

    private OrphanDaemonMain() {
    }

    public static void main(String[] args) {
        SecondDaemon daemon = SecondDaemon.start();
        daemon.load(args[0]);
        HostCommand.Result sleeper = daemon.docker("run", "-d", args[0], "sleep", "3600");
        System.out.println("URL " + daemon.url());
        System.out.println("CONTAINER " + sleeper.output().strip());
        System.out.flush();
        Runtime.getRuntime().halt(sleeper.ok() ? 0 : 1);
    }
}

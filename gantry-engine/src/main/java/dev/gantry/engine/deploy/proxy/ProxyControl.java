package dev.gantry.engine.deploy.proxy;

import dev.gantry.engine.deploy.EnvironmentDirectory;
import dev.gantry.engine.process.ProcessTree;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Starts, switches, drains and stops an environment's {@link SwitchProxy}: a detached Java process (this JVM's
 * java binary and class path) marked with {@link EnvironmentDirectory#proxyMarker()}.
 */
public final class ProxyControl {

    private static final Duration ACK = Duration.ofSeconds(30);

    private final EnvironmentDirectory env;

    public ProxyControl(EnvironmentDirectory env) {
        this.env = env;
    }

    public boolean isRunning() {
        return !ProcessTree.find(new ProcessTree.Selector(env.proxyMarker(), 0, 0)).isEmpty();
    }

    /** Points new connections at {@code upstream}, starting the proxy on {@code stablePort} if it is not running. */
    public void switchTo(int stablePort, int upstream, Map<String, String> baseEnv) throws IOException {
        Files.createDirectories(env.dir());
        dev.gantry.engine.record.AtomicFiles.write(env.upstreamFile(),
                (upstream + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (!isRunning()) {
            Files.deleteIfExists(env.proxyStateFile());
            start(stablePort, baseEnv);
        }
        long end = System.nanoTime() + ACK.toNanos();
        while (state().getProperty("upstream", "").equals(Integer.toString(upstream)) == false) {
            if (System.nanoTime() > end) {
                throw new IOException("the proxy on port " + stablePort + " did not switch to port " + upstream
                        + " within " + ACK.toSeconds() + "s; see " + env.proxyLog());
            }
            sleep(10);
        }
    }

    /**
     * Waits until no connection to {@code port} is open, up to {@code grace}; true if they all ended. Looks at least
     * once, so a zero grace answers whether it is drained now.
     */
    public boolean awaitDrained(int port, Duration grace) {
        long end = System.nanoTime() + grace.toNanos();
        while (true) {
            if (Integer.parseInt(state().getProperty("open." + port, "0")) <= 0) {
                return true;
            }
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            sleep(20);
        }
    }

    /** The upstream the running proxy forwards to, or 0. */
    public int upstream() {
        return isRunning() ? Integer.parseInt(state().getProperty("upstream", "0")) : 0;
    }

    public void stop() {
        ProcessTree.terminate(new ProcessTree.Selector(env.proxyMarker(), 0, 0), "TERM", Duration.ofSeconds(5));
    }

    private void start(int stablePort, Map<String, String> baseEnv) throws IOException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
            command.add("setsid");
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), SwitchProxy.class.getName(),
                "--port", Integer.toString(stablePort), "--upstream", env.upstreamFile().toString(),
                "--state", env.proxyStateFile().toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(env.dir().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(env.proxyLog().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(dev.gantry.engine.deploy.ReleaseProcesses.detached(baseEnv));
        String[] marker = env.proxyMarker().split("=", 2);
        pb.environment().put(marker[0], marker[1]);
        Process p = pb.start();
        long end = System.nanoTime() + ACK.toNanos();
        while (!Files.exists(env.proxyStateFile())) {
            if (!p.isAlive()) {
                throw new IOException("the proxy for port " + stablePort + " exited with code " + p.exitValue()
                        + " as it started (is the port in use?); see " + env.proxyLog());
            }
            if (System.nanoTime() > end) {
                throw new IOException("the proxy for port " + stablePort + " did not start within "
                        + ACK.toSeconds() + "s; see " + env.proxyLog());
            }
            sleep(10);
        }
    }

    private Properties state() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(env.proxyStateFile())));
        } catch (IOException e) {
            // not written yet, or being replaced
        }
        return p;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

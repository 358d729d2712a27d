package dev.gantry.docker.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH server on 127.0.0.1 for the test's lifetime (its own host key, configuration and authorized key,
 * nothing of the machine's changed), and a client configuration ({@link #clientConfig()}) that logs in as root with
 * the test's key and checks the server's host key: through it, {@code ssh://root@127.0.0.1:PORT} reaches this
 * machine's Docker engine as a remote host would be reached.
 */
public final class SshServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Process sshd;

    private SshServer(Path dir, int port, Process sshd) {
        this.dir = dir;
        this.port = port;
        this.sshd = sshd;
    }

    /** Starts one in {@code dir} on {@code port}; skips the test without root, sshd or ssh-keygen. */
    public static SshServer start(Path dir, int port) {
        Path sshd = Path.of("/usr/sbin/sshd");
        Assumptions.assumeTrue(Files.isExecutable(sshd), "an ssh:// host test needs sshd (Debian: openssh-server)");
        Assumptions.assumeTrue(HostCommand.installed("ssh") && HostCommand.installed("ssh-keygen"),
                "an ssh:// host test needs ssh and ssh-keygen (Debian: openssh-client)");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "an ssh:// host test logs in as root");
        try {
            keygen(dir.resolve("host_key"));
            keygen(dir.resolve("id"));
            Files.copy(dir.resolve("id.pub"), dir.resolve("authorized_keys"));
            Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " "
                    + Files.readString(dir.resolve("host_key.pub")));
            Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                    "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
                    "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PidFile " + dir.resolve("sshd.pid"),
                    "StrictModes no", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                    "PermitRootLogin prohibit-password", "AllowStreamLocalForwarding yes", "") );
            Files.writeString(dir.resolve("ssh_config"), String.join("\n",
                    "Host 127.0.0.1", "  IdentityFile " + dir.resolve("id"), "  IdentitiesOnly yes",
                    "  UserKnownHostsFile " + dir.resolve("known_hosts"), "  StrictHostKeyChecking yes",
                    "  GlobalKnownHostsFile /dev/null", ""));
            Files.createDirectories(Path.of("/run/sshd")); // its privilege separation directory
            Process p = new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
            SshServer server = new SshServer(dir, port, p);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keygen(Path key) {
        HostCommand.Result r = HostCommand.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                key.toString()), Map.of(), Duration.ofSeconds(30));
        if (!r.ok()) {
            fail("ssh-keygen failed: " + r.output());
        }
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!sshd.isAlive() || Instant.now().isAfter(deadline)) {
                    fail("sshd did not listen on " + port + ": " + Files.readString(dir.resolve("sshd.log")));
                }
                DaemonScrub.sleep(100);
            }
        }
    }

    public int port() {
        return port;
    }

    /** The client configuration: {@code ssh -F} this to log in with the test's key and known host. */
    public Path clientConfig() {
        return dir.resolve("ssh_config");
    }

    @Override
    public void close() {
        sshd.descendants().forEach(ProcessHandle::destroy);
        sshd.destroy();
    }
}

package dev.gantry.docker.host;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reaches the engine of an {@code ssh://user@host[:port]} Docker host as Docker's own client does: the machine's
 * OpenSSH client forwards a local socket to the remote {@code /var/run/docker.sock}, with the user's keys and
 * {@code known_hosts} (batch mode: no password prompts). Closed with the host.
 */
final class SshTunnel {

    private final Process ssh;
    private final Path dir;

    private SshTunnel(Process ssh, Path dir) {
        this.ssh = ssh;
        this.dir = dir;
    }

    /** @param config an OpenSSH client configuration file ({@code ssh -F}), or null for the user's own */
    static SshTunnel open(URI url, Path config) throws IOException {
        Path dir = Files.createTempDirectory("gantry-ssh-");
        Path socket = dir.resolve("docker.sock");
        List<String> cmd = new ArrayList<>(List.of("ssh", "-nNT", "-o", "BatchMode=yes", "-o",
                "ExitOnForwardFailure=yes", "-o", "ServerAliveInterval=10", "-L", socket + ":/var/run/docker.sock"));
        if (config != null) {
            cmd.addAll(List.of("-F", config.toString()));
        }
        if (url.getPort() > 0) {
            cmd.addAll(List.of("-p", String.valueOf(url.getPort())));
        }
        cmd.add((url.getUserInfo() != null ? url.getUserInfo() + "@" : "") + url.getHost());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 200 && !Files.exists(socket); i++) {
                if (p.waitFor(50, TimeUnit.MILLISECONDS)) {
                    String out = new String(p.getInputStream().readAllBytes()).trim();
                    throw new IOException("ssh to " + url.getHost() + " failed (exit " + p.exitValue() + "): " + out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while connecting to " + url);
        }
        if (!Files.exists(socket)) {
            p.destroyForcibly();
            throw new IOException("ssh to " + url.getHost() + " forwarded no socket within 10 s");
        }
        return new SshTunnel(p, dir);
    }

    URI socket() {
        return URI.create("unix://" + dir.resolve("docker.sock"));
    }

    void close() {
        ssh.destroy();
        try {
            Files.deleteIfExists(dir.resolve("docker.sock"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a stale socket in a temporary directory
        }
    }
}

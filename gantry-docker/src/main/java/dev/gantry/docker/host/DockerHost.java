package dev.gantry.docker.host;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * One Docker engine Gantry runs containers on, through docker-java over its Java HTTP transport. An
 * {@code ssh://} host is reached through a socket the machine's OpenSSH client forwards ({@link SshTunnel}).
 */
public final class DockerHost implements Closeable {

    private final DockerHostSpec spec;
    private final DockerClient client;
    private final SshTunnel tunnel;

    private DockerHost(DockerHostSpec spec, DockerClient client, SshTunnel tunnel) {
        this.spec = spec;
        this.client = client;
        this.tunnel = tunnel;
    }

    /** Connects (lazily: nothing is sent until the first call) to the engine {@code spec} names. */
    public static DockerHost connect(DockerHostSpec spec) throws IOException {
        SshTunnel tunnel = spec.url().getScheme().equals("ssh") ? SshTunnel.open(spec.url(), spec.sshConfig()) : null;
        URI url = tunnel != null ? tunnel.socket() : spec.url();
        DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(url.toString())
                .withDockerTlsVerify(spec.tls() != null);
        if (spec.tls() != null) {
            config.withDockerCertPath(spec.tls().toString());
        }
        DockerClientConfig c = config.build();
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(c.getDockerHost())
                .sslConfig(c.getSSLConfig())
                .maxConnections(256)
                .connectionTimeout(Duration.ofSeconds(10))
                .build();
        return new DockerHost(spec, DockerClientImpl.getInstance(c, http), tunnel);
    }

    public String name() {
        return spec.name();
    }

    public DockerHostSpec spec() {
        return spec;
    }

    public DockerClient client() {
        return client;
    }

    /** Whether the engine answers; the exception's message says why not. */
    public void ping() throws IOException {
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            throw unreachable(e);
        }
    }

    /** The error to report when a call to this host failed for want of a connection. */
    public IOException unreachable(Throwable cause) {
        return new IOException("docker host " + spec + " is unreachable: " + DockerErrors.message(cause), cause);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // closing a connection pool: nothing to do about a failure
        }
        if (tunnel != null) {
            tunnel.close();
        }
    }
}

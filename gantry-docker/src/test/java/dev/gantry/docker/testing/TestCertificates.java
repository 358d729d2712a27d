package dev.gantry.docker.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A certificate authority, a server certificate for 127.0.0.1 and a client certificate, made with the machine's
 * {@code openssl} as Docker's TLS guide does: {@code ca.pem}, {@code server-cert.pem}, {@code server-key.pem}, and
 * the client's {@code cert.pem} and {@code key.pem} (the names Docker's client and {@code tls=DIR} expect).
 */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** Makes them in {@code dir} under the common name {@code ca}; skips the test without openssl. */
    public static Path create(Path dir, String ca) {
        Assumptions.assumeTrue(HostCommand.installed("openssl"), "TLS certificates need openssl on the PATH");
        String script = """
                set -e
                cd "$1"
                openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 2 -subj "/CN=$2"
                openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj /CN=localhost
                printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth\\n' > server.ext
                openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server-cert.pem \\
                    -days 2 -extfile server.ext
                openssl req -newkey rsa:2048 -nodes -keyout key.pem -out client.csr -subj /CN=gantry
                printf 'extendedKeyUsage=clientAuth\\n' > client.ext
                openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem \\
                    -days 2 -extfile client.ext
                """;
        HostCommand.Result r = HostCommand.run(List.of("bash", "-c", script, "certs", dir.toString(), ca), Map.of(),
                Duration.ofMinutes(2));
        if (!r.ok()) {
            fail("openssl could not make the test certificates: " + r.output());
        }
        return dir;
    }
}

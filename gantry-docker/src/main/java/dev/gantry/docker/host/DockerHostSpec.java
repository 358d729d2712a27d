package dev.gantry.docker.host;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Docker host as given on the command line: {@code NAME=URL[;POOL=N...][;tls=DIR]}, e.g.
 * {@code gpu1=tcp://10.0.0.5:2376;gpu=2;tts-slot=3;tls=/etc/gantry/docker/gpu1}. The URL is
 * {@code unix:///path/to/docker.sock}, {@code tcp://host:port} (with {@code tls=DIR} holding {@code ca.pem},
 * {@code cert.pem} and {@code key.pem}, as Docker's own client expects) or {@code ssh://user@host} (through the
 * machine's OpenSSH client, which forwards the remote engine's socket).
 *
 * @param pools what the host offers jobs' {@code uses}; a host offers {@code gpu=0} unless it says otherwise
 * @param tls       the directory of the client certificates; null for none
 * @param sshConfig   an OpenSSH client configuration file for an {@code ssh://} host ({@code ssh -F}: its
 *                    identity, known hosts); null for the user's own
 * @param sharedFiles whether the host sees Gantry's files at the same paths ({@code files=shared}: the local
 *                    engine, or a shared file system), so that working copies and volumes are bind-mounted; else
 *                    ({@code files=copy}) working copies are copied into its containers and back, and volumes are
 *                    Docker volumes of its own
 */
public record DockerHostSpec(String name, URI url, Map<String, Integer> pools, Path tls, Path sshConfig,
                             boolean sharedFiles) {

    public DockerHostSpec(String name, URI url, Map<String, Integer> pools, Path tls) {
        this(name, url, pools, tls, null, sharesByDefault(url));
    }

    /** A {@code unix://} engine runs on this machine and sees its files; a {@code tcp://} or {@code ssh://} one not. */
    public static boolean sharesByDefault(URI url) {
        return "unix".equals(url.getScheme());
    }

    /** The local engine's socket, unless {@code DOCKER_HOST} says otherwise. */
    public static final String DEFAULT_URL = "unix:///var/run/docker.sock";

    public DockerHostSpec {
        pools = Map.copyOf(pools);
    }

    /** The host {@code gantry run --executor docker} uses: {@code DOCKER_HOST}, else the local socket. */
    public static DockerHostSpec local(Map<String, Integer> pools, Map<String, String> env) {
        String url = env.getOrDefault("DOCKER_HOST", "");
        String certs = env.get("DOCKER_CERT_PATH");
        boolean tls = "1".equals(env.get("DOCKER_TLS_VERIFY")) && certs != null;
        return new DockerHostSpec("docker", URI.create(url.isBlank() ? DEFAULT_URL : url), pools,
                tls ? Path.of(certs) : null);
    }

    /** Parses {@code NAME=URL[;POOL=N...][;tls=DIR]}; the message of the exception says what is wrong. */
    public static DockerHostSpec parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("'" + text + "': expected NAME=URL[;POOL=N...], e.g."
                    + " gpu1=tcp://10.0.0.5:2376;gpu=2");
        }
        String name = text.substring(0, eq).trim();
        if (!name.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
            throw new IllegalArgumentException("'" + name + "': a Docker host's name uses lowercase letters, digits,"
                    + " '.', '_' and '-'");
        }
        String[] parts = text.substring(eq + 1).split(";");
        URI url = url(name, parts[0].trim());
        Map<String, Integer> pools = new LinkedHashMap<>();
        pools.put("gpu", 0);
        Path tls = null;
        Path sshConfig = null;
        Boolean shared = null;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int e = part.indexOf('=');
            if (e <= 0) {
                throw new IllegalArgumentException("host " + name + ": '" + part + "': expected POOL=N, tls=DIR, ssh_config=FILE or files=shared|copy");
            }
            String key = part.substring(0, e).trim();
            String value = part.substring(e + 1).trim();
            if (key.equals("tls")) {
                tls = certificates(name, value);
            } else if (key.equals("files")) {
                if (!value.equals("shared") && !value.equals("copy")) {
                    throw new IllegalArgumentException("host " + name + ": files=" + value + ": expected files=shared"
                            + " (it sees Gantry's files at the same paths) or files=copy");
                }
                shared = value.equals("shared");
            } else if (key.equals("ssh_config")) {
                sshConfig = Path.of(value);
                if (!Files.isReadable(sshConfig)) {
                    throw new IllegalArgumentException("host " + name + ": ssh_config=" + value + " is not a readable"
                            + " file");
                }
            } else {
                pools.put(key, count(name, key, value));
            }
        }
        if (tls != null && !url.getScheme().equals("tcp")) {
            throw new IllegalArgumentException("host " + name + ": tls= is only for tcp:// URLs");
        }
        if (sshConfig != null && !url.getScheme().equals("ssh")) {
            throw new IllegalArgumentException("host " + name + ": ssh_config= is only for ssh:// URLs");
        }
        return new DockerHostSpec(name, url, pools, tls, sshConfig, shared != null ? shared : sharesByDefault(url));
    }

    private static URI url(String name, String text) {
        URI url;
        try {
            url = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("host " + name + ": '" + text + "' is not a URL");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        switch (scheme) {
            case "unix" -> {
                if (url.getPath() == null || url.getPath().isEmpty()) {
                    throw new IllegalArgumentException("host " + name + ": " + text + " names no socket");
                }
            }
            case "tcp", "ssh" -> {
                if (url.getHost() == null) {
                    throw new IllegalArgumentException("host " + name + ": " + text + " names no host");
                }
            }
            default -> throw new IllegalArgumentException("host " + name + ": '" + text + "': the URL must start"
                    + " with unix://, tcp:// or ssh://");
        }
        return url;
    }

    private static int count(String host, String pool, String value) {
        if (!pool.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("host " + host + ": '" + pool + "' is not a pool name");
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("host " + host + ": pool " + pool + "=" + value
                + ": a pool's size is a whole number, 0 or more");
    }

    private static Path certificates(String host, String dir) {
        Path p = Path.of(dir);
        for (String f : new String[] {"ca.pem", "cert.pem", "key.pem"}) {
            if (!Files.isReadable(p.resolve(f))) {
                throw new IllegalArgumentException("host " + host + ": tls=" + dir + " has no readable " + f);
            }
        }
        return p;
    }

    @Override
    public String toString() {
        return name + " (" + url + ")";
    }
}

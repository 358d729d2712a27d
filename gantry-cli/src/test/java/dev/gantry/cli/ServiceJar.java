package dev.gantry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The example service as the runnable jar its pipeline builds ({@code target/tts-service.jar}), put together from
 * the classes and jars on the test's class path, since a test run does not package the example.
 */
final class ServiceJar {

    private ServiceJar() {
    }

    /** Writes the jar of {@code mainClass} and everything {@code fromClasses} come from to {@code jar}. */
    static Path write(Path jar, String mainClass, List<Class<?>> fromClasses) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        Set<String> written = new HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            written.add("META-INF/MANIFEST.MF");
            for (Class<?> c : fromClasses) {
                Path source = source(c);
                if (Files.isDirectory(source)) {
                    try (Stream<Path> files = Files.walk(source)) {
                        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                            String name = source.relativize(f).toString().replace('\\', '/');
                            try (InputStream in = Files.newInputStream(f)) {
                                copy(out, written, name, in);
                            }
                        }
                    }
                } else {
                    try (JarFile from = new JarFile(source.toFile())) {
                        for (JarEntry e : from.stream().filter(e -> !e.isDirectory()).toList()) {
                            try (InputStream in = from.getInputStream(e)) {
                                copy(out, written, e.getName(), in);
                            }
                        }
                    }
                }
            }
        }
        return jar;
    }

    private static void copy(OutputStream jar, Set<String> written, String name, InputStream in) throws IOException {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        boolean signature = upper.startsWith("META-INF/") && (upper.endsWith(".SF") || upper.endsWith(".DSA")
                || upper.endsWith(".RSA"));
        if (signature || name.endsWith("module-info.class") || !written.add(name)) {
            return;
        }
        JarOutputStream out = (JarOutputStream) jar;
        out.putNextEntry(new JarEntry(name));
        in.transferTo(out);
        out.closeEntry();
    }

    private static Path source(Class<?> c) throws IOException {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the classes of " + c.getName(), e);
        }
    }
}

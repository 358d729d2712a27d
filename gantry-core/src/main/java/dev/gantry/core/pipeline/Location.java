package dev.gantry.core.pipeline;

/** A place in a pipeline file, 1-based, so every error can point at what caused it. */
public record Location(String file, int line, int column) {

    public static Location unknown(String file) {
        return new Location(file, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}

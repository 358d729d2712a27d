package dev.gantry.examples.tts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The voices a request can ask for: the one FreeTTS voice at three base pitches, so that an audiobook's narrator and
 * characters sound apart (and measurably so: their pitch differs).
 */
public enum Speaker {
    KEVIN(1.0), AVA(1.45), MORGAN(0.8);

    private final double pitch;

    Speaker(double pitch) {
        this.pitch = pitch;
    }

    /** How much higher (above 1) or lower this voice's base pitch is than the neutral voice's. */
    public double pitch() {
        return pitch;
    }

    public static Optional<Speaker> parse(String text) {
        return Arrays.stream(values()).filter(s -> s.name().equalsIgnoreCase(text)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}

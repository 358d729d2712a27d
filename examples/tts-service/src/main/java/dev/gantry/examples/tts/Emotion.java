package dev.gantry.examples.tts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The emotions the service can speak with. */
public enum Emotion {
    NEUTRAL, HAPPY, SAD, ANGRY;

    public static Optional<Emotion> parse(String text) {
        return Arrays.stream(values()).filter(e -> e.name().equalsIgnoreCase(text)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}

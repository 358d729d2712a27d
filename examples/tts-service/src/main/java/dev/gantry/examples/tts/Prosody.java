package dev.gantry.examples.tts;

/**
 * How a sentence is spoken: the voice's base pitch (Hz), pitch range (Hz of variation), speaking rate (words per
 * minute) and volume (0..1). Emotions move these from the neutral voice in proportion to their intensity, so an
 * emotion measurably changes the audio: happy is higher, livelier and faster; sad lower, flatter, slower and
 * quieter; angry louder, faster and wider in range.
 */
public record Prosody(double pitchHz, double pitchRange, double rateWpm, double volume) {

    public static final Prosody NEUTRAL = new Prosody(100, 11, 150, 0.8);

    public static Prosody of(Emotion emotion, double intensity, double speed) {
        double i = Math.max(0, Math.min(1, intensity));
        Prosody p = switch (emotion) {
            case NEUTRAL -> NEUTRAL;
            case HAPPY -> NEUTRAL.scaled(1 + 0.40 * i, 1 + 1.50 * i, 1 + 0.15 * i, 1 + 0.15 * i);
            case SAD -> NEUTRAL.scaled(1 - 0.25 * i, 1 - 0.60 * i, 1 - 0.30 * i, 1 - 0.40 * i);
            case ANGRY -> NEUTRAL.scaled(1 + 0.15 * i, 1 + 1.00 * i, 1 + 0.20 * i, 1 + 0.25 * i);
        };
        return new Prosody(p.pitchHz, p.pitchRange, p.rateWpm * speed, Math.min(1.0, p.volume));
    }

    /** The same prosody in another voice: its base pitch moved by the speaker's factor. */
    public Prosody spokenBy(Speaker speaker) {
        return new Prosody(pitchHz * speaker.pitch(), pitchRange * speaker.pitch(), rateWpm, volume);
    }

    private Prosody scaled(double pitch, double range, double rate, double vol) {
        return new Prosody(pitchHz * pitch, pitchRange * range, rateWpm * rate, volume * vol);
    }
}

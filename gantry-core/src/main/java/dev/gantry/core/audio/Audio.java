package dev.gantry.core.audio;

/**
 * Decoded audio: every channel's samples scaled to [-1, 1], with the format it was stored in.
 *
 * @param bitDepth bits per sample as stored (8, 16, 24, 32, or 32/64 for float)
 * @param isFloat  whether the samples were stored as IEEE floats
 * @param channels samples per channel: {@code channels[c][i]}
 */
public record Audio(int sampleRate, int bitDepth, boolean isFloat, float[][] channels) {

    public int channelCount() {
        return channels.length;
    }

    public int frames() {
        return channels.length == 0 ? 0 : channels[0].length;
    }

    public double seconds() {
        return (double) frames() / sampleRate;
    }

    /** The channels averaged into one, which is what loudness, silence and pitch are measured on. */
    public float[] mono() {
        if (channels.length == 1) {
            return channels[0];
        }
        float[] m = new float[frames()];
        for (float[] ch : channels) {
            for (int i = 0; i < m.length; i++) {
                m[i] += ch[i] / channels.length;
            }
        }
        return m;
    }
}

package dev.gantry.examples.tts;

import com.sun.speech.freetts.audio.AudioPlayer;
import java.io.ByteArrayOutputStream;
import javax.sound.sampled.AudioFormat;

/** A FreeTTS audio player that keeps the synthesised PCM in memory instead of playing it. */
final class PcmCollector implements AudioPlayer {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private AudioFormat format;
    private float volume = 1f;

    /** The collected audio as 16-bit samples, scaled by the volume, whatever byte order FreeTTS used. */
    short[] samples() {
        byte[] b = bytes.toByteArray();
        boolean big = format == null || format.isBigEndian();
        short[] out = new short[b.length / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = big ? b[2 * i] : b[2 * i + 1];
            int lo = big ? b[2 * i + 1] : b[2 * i];
            int s = (hi << 8) | (lo & 0xff);
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(s * volume)));
        }
        return out;
    }

    int sampleRate() {
        return format == null ? 16000 : (int) format.getSampleRate();
    }

    @Override
    public void setAudioFormat(AudioFormat f) {
        this.format = f;
    }

    @Override
    public AudioFormat getAudioFormat() {
        return format;
    }

    @Override
    public boolean write(byte[] audio) {
        return write(audio, 0, audio.length);
    }

    @Override
    public boolean write(byte[] audio, int offset, int size) {
        bytes.write(audio, offset, size);
        return true;
    }

    @Override
    public float getVolume() {
        return volume;
    }

    @Override
    public void setVolume(float v) {
        this.volume = v;
    }

    @Override
    public void pause() {
    }

    @Override
    public void resume() {
    }

    @Override
    public void reset() {
    }

    @Override
    public boolean drain() {
        return true;
    }

    @Override
    public void begin(int size) {
    }

    @Override
    public boolean end() {
        return true;
    }

    @Override
    public void cancel() {
    }

    @Override
    public void close() {
    }

    @Override
    public long getTime() {
        return 0;
    }

    @Override
    public void resetTime() {
    }

    @Override
    public void startFirstSampleTimer() {
    }

    @Override
    public void showMetrics() {
    }
}

package dev.gantry.examples.tts;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.VoiceManager;

/**
 * The "model": FreeTTS's bundled kevin16 voice. Loading it is the slow part of start-up; a FreeTTS voice is not
 * thread-safe, so requests take turns.
 *
 * <p>A silent synthesizer loads and runs the voice the same way but returns audio whose every sample is zero: it
 * imitates a release whose weights or settings are broken in a way a health check cannot see (the model loads, the
 * service answers 200 with a well-formed WAV of the right length), which only a check of the output catches.
 */
public final class Synthesizer {

    private final Voice voice;
    private final boolean silent;

    /** Loads the voice (this is what readiness waits for). */
    public Synthesizer() {
        this(false);
    }

    /** Loads the voice; when {@code silent}, every answer is silence of the length the speech would have had. */
    public Synthesizer(boolean silent) {
        this.silent = silent;
        System.setProperty("freetts.voices", "com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory");
        Voice v = VoiceManager.getInstance().getVoice("kevin16");
        if (v == null) {
            throw new IllegalStateException("the kevin16 voice is missing from the FreeTTS jar");
        }
        v.allocate();
        this.voice = v;
    }

    public boolean silent() {
        return silent;
    }

    /** A WAV file of {@code text} spoken with {@code prosody}. */
    public synchronized byte[] speak(String text, Prosody prosody) {
        PcmCollector pcm = new PcmCollector();
        voice.setAudioPlayer(pcm);
        voice.setPitch((float) prosody.pitchHz());
        voice.setPitchRange((float) prosody.pitchRange());
        voice.setRate((float) prosody.rateWpm());
        voice.setVolume((float) prosody.volume());
        if (!voice.speak(text)) {
            throw new IllegalStateException("FreeTTS could not speak the text");
        }
        pcm.setVolume((float) prosody.volume());
        short[] samples = silent ? new short[pcm.samples().length] : pcm.samples();
        return Wav.encode(samples, pcm.sampleRate());
    }
}

package dev.gantry.examples.tts;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.VoiceManager;

/**
 * The "model": FreeTTS's bundled kevin16 voice. Loading it is the slow part of start-up; a FreeTTS voice is not
 * thread-safe, so requests take turns.
 */
public final class Synthesizer {

    private final Voice voice;

    /** Loads the voice (this is what readiness waits for). */
    public Synthesizer() {
        System.setProperty("freetts.voices", "com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory");
        Voice v = VoiceManager.getInstance().getVoice("kevin16");
        if (v == null) {
            throw new IllegalStateException("the kevin16 voice is missing from the FreeTTS jar");
        }
        v.allocate();
        this.voice = v;
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
        return Wav.encode(pcm.samples(), pcm.sampleRate());
    }
}

package dev.gantry.core.audio;

/** A file that is not a WAV this reader understands, or is cut short; the message names the file. */
public class AudioFormatException extends Exception {

    public AudioFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}

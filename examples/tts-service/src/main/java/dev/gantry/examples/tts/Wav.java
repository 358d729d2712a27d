package dev.gantry.examples.tts;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Encodes 16-bit mono PCM as a WAV file. */
public final class Wav {

    private Wav() {
    }

    public static byte[] encode(short[] samples, int sampleRate) {
        int dataBytes = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(sampleRate)
                .putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(dataBytes);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }
}

package dev.gantry.engine.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** 16-bit mono sine WAVs for tests of the file side of audio checks. */
public final class TestWavs {

    private TestWavs() {
    }

    public static byte[] sine(double hz, double amplitude, double seconds, int rate) {
        int n = (int) Math.round(seconds * rate);
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(2 * n);
        for (int i = 0; i < n; i++) {
            b.putShort((short) Math.round(32767 * amplitude * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        return b.array();
    }
}

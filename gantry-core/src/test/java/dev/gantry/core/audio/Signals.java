package dev.gantry.core.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Test signals with known answers, written as WAV bytes in any supported format. */
final class Signals {

    private Signals() {
    }

    static float[] sine(double hz, double amplitude, double seconds, int rate) {
        float[] x = new float[(int) Math.round(seconds * rate)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    static float[] silence(double seconds, int rate) {
        return new float[(int) Math.round(seconds * rate)];
    }

    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A WAV of the given channels; {@code bits} 8/16/24/32 PCM, or 32/64 float when {@code isFloat}. */
    static byte[] wav(int rate, int bits, boolean isFloat, float[]... channels) {
        int bytes = bits / 8;
        int frames = channels[0].length;
        int data = frames * channels.length * bytes;
        ByteBuffer b = ByteBuffer.allocate(44 + 26 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 26 + data).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) (isFloat ? 3 : 1)).putShort((short) channels.length)
                .putInt(rate).putInt(rate * channels.length * bytes).putShort((short) (channels.length * bytes))
                .putShort((short) bits);
        b.put("LIST".getBytes()).putInt(18).put("INFOISFT".getBytes()).putInt(6).put("test\0\0".getBytes());
        b.put("data".getBytes()).putInt(data);
        for (int f = 0; f < frames; f++) {
            for (float[] ch : channels) {
                double v = Math.max(-1, Math.min(1, ch[f]));
                if (isFloat) {
                    if (bits == 32) {
                        b.putFloat((float) v);
                    } else {
                        b.putDouble(v);
                    }
                } else {
                    switch (bits) {
                        case 8 -> b.put((byte) (Math.round(v * 127) + 128));
                        case 16 -> b.putShort((short) Math.round(v * 32767));
                        case 24 -> {
                            int s = (int) Math.round(v * 8388607);
                            b.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
                        }
                        default -> b.putInt((int) Math.round(v * 2147483647.0));
                    }
                }
            }
        }
        return b.array();
    }
}

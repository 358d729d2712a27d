package dev.gantry.core.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads RIFF/WAVE files: PCM at 8 (unsigned), 16, 24 and 32 bits, IEEE float at 32 and 64 bits, any number of
 * channels, including WAVE_FORMAT_EXTENSIBLE. Chunks it does not need (LIST, fact, ...) are skipped. A file that
 * is not a WAV, lacks its format or data, or is cut short (including a chunk that claims more bytes than the file
 * holds, such as the 0xFFFFFFFF of a stream that never went back to fix its sizes) is an
 * {@link AudioFormatException} naming the file.
 */
public final class WavReader {

    private static final int PCM = 1;
    private static final int FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;

    private WavReader() {
    }

    public static Audio read(String file, byte[] bytes) throws AudioFormatException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !tag(b, 0).equals("RIFF") || !tag(b, 8).equals("WAVE")) {
            throw new AudioFormatException(file, "not a WAV file (no RIFF/WAVE header)");
        }
        long pos = 12;
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int blockAlign = 0;
        while (pos + 8 <= bytes.length) {
            String id = tag(b, (int) pos);
            long size = Integer.toUnsignedLong(b.getInt((int) pos + 4));
            int body = (int) pos + 8;
            long available = bytes.length - body;
            if (size > available && !id.equals("data")) {
                throw new AudioFormatException(file, "truncated: the '" + printable(id) + "' chunk claims " + size
                        + " bytes but the file holds " + available);
            }
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > bytes.length) {
                    throw new AudioFormatException(file, "truncated: the format chunk is cut short");
                }
                format = Short.toUnsignedInt(b.getShort(body));
                channels = Short.toUnsignedInt(b.getShort(body + 2));
                rate = b.getInt(body + 4);
                blockAlign = Short.toUnsignedInt(b.getShort(body + 12));
                bits = Short.toUnsignedInt(b.getShort(body + 14));
                if (format == EXTENSIBLE) {
                    if (size < 40 || body + 26 > bytes.length) {
                        throw new AudioFormatException(file, "truncated: the extensible format chunk is cut short");
                    }
                    format = Short.toUnsignedInt(b.getShort(body + 24));
                }
            } else if (id.equals("data")) {
                if (format < 0) {
                    throw new AudioFormatException(file, "the data chunk comes before the format chunk");
                }
                if (size > available) {
                    throw new AudioFormatException(file, "truncated: the header promises " + size
                            + " bytes of audio but the file holds " + available);
                }
                return decode(file, b, body, (int) size, format, channels, rate, bits, blockAlign);
            }
            pos = body + size + (size & 1);
        }
        throw new AudioFormatException(file, format < 0 ? "no format chunk" : "no data chunk (truncated?)");
    }

    private static Audio decode(String file, ByteBuffer b, int start, int size, int format, int channels, int rate,
                                int bits, int blockAlign) throws AudioFormatException {
        if (channels < 1 || rate < 1) {
            throw new AudioFormatException(file, "invalid format: " + channels + " channels at " + rate + " Hz");
        }
        boolean isFloat = format == FLOAT;
        if (format != PCM && !isFloat) {
            throw new AudioFormatException(file, "unsupported encoding " + format + " (only PCM and IEEE float)");
        }
        boolean supported = isFloat ? (bits == 32 || bits == 64) : (bits == 8 || bits == 16 || bits == 24 || bits == 32);
        if (!supported) {
            throw new AudioFormatException(file, "unsupported sample size: " + bits + "-bit "
                    + (isFloat ? "float" : "PCM"));
        }
        int bytesPerSample = bits / 8;
        int frameSize = Math.max(blockAlign, bytesPerSample * channels);
        int frames = size / frameSize;
        float[][] out = new float[channels][frames];
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                int at = start + f * frameSize + c * bytesPerSample;
                out[c][f] = sample(b, at, bits, isFloat);
            }
        }
        return new Audio(rate, bits, isFloat, out);
    }

    private static float sample(ByteBuffer b, int at, int bits, boolean isFloat) {
        if (isFloat) {
            return bits == 32 ? b.getFloat(at) : (float) b.getDouble(at);
        }
        return switch (bits) {
            case 8 -> (Byte.toUnsignedInt(b.get(at)) - 128) / 128f;
            case 16 -> b.getShort(at) / 32768f;
            case 24 -> ((b.get(at) & 0xff) | ((b.get(at + 1) & 0xff) << 8) | (b.get(at + 2) << 16)) / 8388608f;
            default -> (float) (b.getInt(at) / 2147483648.0);
        };
    }

    /** A chunk id as it can be shown in a message: a hostile file's bytes are not printed raw. */
    private static String printable(String id) {
        return id.codePoints().map(c -> c >= 0x20 && c < 0x7f ? c : '?')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static String tag(ByteBuffer b, int at) {
        byte[] t = new byte[4];
        for (int i = 0; i < 4; i++) {
            t[i] = b.get(at + i);
        }
        return new String(t, java.nio.charset.StandardCharsets.US_ASCII);
    }
}

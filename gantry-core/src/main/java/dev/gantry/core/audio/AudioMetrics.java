package dev.gantry.core.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an audio check looks at. Levels are dBFS against a full-scale sample of 1.0 (a full-scale sine is about
 * -3 dBFS RMS); silence is any 10 ms frame quieter than {@link #SILENCE_DBFS}; pitch is estimated by
 * autocorrelation over 40 ms frames between 50 and 500 Hz, and only over voiced frames.
 *
 * @param pitchMedianHz NaN when no frame is voiced
 */
public record AudioMetrics(int sampleRate, int channels, int bitDepth, boolean isFloat, double durationSeconds,
                           double rmsDbfs, double peakDbfs, double clippingRatio, double leadingSilenceSeconds,
                           double trailingSilenceSeconds, double silenceRatio, double pitchMedianHz,
                           double pitchMeanHz, double voicedRatio) {

    public static final double SILENCE_DBFS = -50;
    static final double CLIP_LEVEL = 0.999;
    private static final double FRAME_S = 0.010;
    private static final double PITCH_WINDOW_S = 0.040;
    private static final double MIN_F0 = 50;
    private static final double MAX_F0 = 500;
    private static final double VOICING = 0.5;

    public static AudioMetrics measure(Audio audio) {
        float[] x = audio.mono();
        int n = x.length;
        double sum = 0;
        double peak = 0;
        long clipped = 0;
        for (float[] ch : audio.channels()) {
            for (float s : ch) {
                if (Math.abs(s) >= CLIP_LEVEL) {
                    clipped++;
                }
            }
        }
        for (float s : x) {
            sum += (double) s * s;
            peak = Math.max(peak, Math.abs(s));
        }
        long totalSamples = (long) n * Math.max(1, audio.channelCount());
        int frame = Math.max(1, (int) Math.round(audio.sampleRate() * FRAME_S));
        int frames = n / frame;
        boolean[] silent = new boolean[frames];
        int silentCount = 0;
        for (int f = 0; f < frames; f++) {
            double e = 0;
            for (int i = f * frame; i < (f + 1) * frame; i++) {
                e += (double) x[i] * x[i];
            }
            silent[f] = db(Math.sqrt(e / frame)) < SILENCE_DBFS;
            silentCount += silent[f] ? 1 : 0;
        }
        int lead = 0;
        while (lead < frames && silent[lead]) {
            lead++;
        }
        int trail = 0;
        while (trail < frames - lead && silent[frames - 1 - trail]) {
            trail++;
        }
        double[] pitch = pitch(x, audio.sampleRate(), silent, frame);
        int windows = Math.max(1, (int) ((n - PITCH_WINDOW_S * audio.sampleRate()) / frame));
        return new AudioMetrics(audio.sampleRate(), audio.channelCount(), audio.bitDepth(), audio.isFloat(),
                audio.seconds(), n == 0 ? Double.NEGATIVE_INFINITY : db(Math.sqrt(sum / n)), db(peak),
                totalSamples == 0 ? 0 : (double) clipped / totalSamples, lead * FRAME_S, trail * FRAME_S,
                frames == 0 ? 1 : (double) silentCount / frames, median(pitch), mean(pitch),
                Math.min(1, (double) pitch.length / windows));
    }

    /** F0 estimates of the voiced frames, in Hz. */
    private static double[] pitch(float[] x, int rate, boolean[] silent, int hop) {
        int window = (int) Math.round(rate * PITCH_WINDOW_S);
        int minLag = (int) Math.floor(rate / MAX_F0);
        int maxLag = Math.min(window - 1, (int) Math.ceil(rate / MIN_F0));
        List<Double> f0 = new ArrayList<>();
        for (int start = 0; start + window <= x.length; start += hop) {
            int frameIndex = start / hop;
            if (frameIndex < silent.length && silent[frameIndex]) {
                continue;
            }
            double energy = 0;
            for (int i = start; i < start + window; i++) {
                energy += (double) x[i] * x[i];
            }
            if (energy == 0) {
                continue;
            }
            double[] r = new double[maxLag + 2];
            for (int lag = minLag; lag <= maxLag + 1 && lag < window; lag++) {
                double acc = 0;
                double e1 = 0;
                double e2 = 0;
                for (int i = start; i + lag < start + window; i++) {
                    acc += (double) x[i] * x[i + lag];
                    e1 += (double) x[i] * x[i];
                    e2 += (double) x[i + lag] * x[i + lag];
                }
                r[lag] = e1 == 0 || e2 == 0 ? 0 : acc / Math.sqrt(e1 * e2);
            }
            int best = -1;
            double bestR = VOICING;
            for (int lag = minLag + 1; lag <= maxLag; lag++) {
                if (r[lag] > bestR && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) {
                    best = lag;
                    bestR = r[lag];
                    // the first strong peak is the period; later ones are its multiples
                    if (r[lag] > 0.9) {
                        break;
                    }
                }
            }
            if (best > 0) {
                double a = r[best - 1];
                double b = r[best];
                double c = r[best + 1];
                double denom = a - 2 * b + c;
                double shift = denom == 0 ? 0 : 0.5 * (a - c) / denom;
                f0.add(rate / (best + shift));
            }
        }
        return f0.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double db(double amplitude) {
        return amplitude <= 0 ? Double.NEGATIVE_INFINITY : 20 * Math.log10(amplitude);
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** The value of a metric by the name checks and reports use. */
    public double value(Metric m) {
        return switch (m) {
            case SAMPLE_RATE -> sampleRate;
            case CHANNELS -> channels;
            case BIT_DEPTH -> bitDepth;
            case DURATION -> durationSeconds;
            case RMS_DBFS -> rmsDbfs;
            case PEAK_DBFS -> peakDbfs;
            case CLIPPING -> clippingRatio;
            case LEADING_SILENCE -> leadingSilenceSeconds;
            case TRAILING_SILENCE -> trailingSilenceSeconds;
            case SILENCE_RATIO -> silenceRatio;
            case PITCH_HZ -> pitchMedianHz;
            case VOICED_RATIO -> voicedRatio;
        };
    }

    /** Every metric by name, for the JSON report. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            double v = value(metric);
            m.put(metric.key(), Double.isFinite(v) ? round(v) : null);
        }
        m.put("encoding", isFloat ? "float" : "pcm");
        m.put("pitch_mean_hz", Double.isFinite(pitchMeanHz) ? round(pitchMeanHz) : null);
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}

package dev.gantry.engine.telemetry;

import java.util.List;
import java.util.Objects;

/** Peaks and means of a scope's samples over its task. GPU fields are null when there was no GPU data. */
public record Summary(String scope, int samples, double peakCpuPercent, double meanCpuPercent, long peakRssBytes,
                      long meanRssBytes, Long peakGpuMemoryBytes, Double meanGpuUtilizationPercent) {

    public static Summary of(String scope, List<Sample> samples) {
        double peakCpu = 0;
        double sumCpu = 0;
        long peakRss = 0;
        double sumRss = 0;
        Long peakGpu = null;
        double sumUtil = 0;
        int utilCount = 0;
        for (Sample s : samples) {
            peakCpu = Math.max(peakCpu, s.cpuPercent());
            sumCpu += s.cpuPercent();
            peakRss = Math.max(peakRss, s.rssBytes());
            sumRss += s.rssBytes();
            if (s.gpuMemoryBytes() != null) {
                peakGpu = Math.max(Objects.requireNonNullElse(peakGpu, 0L), s.gpuMemoryBytes());
            }
            if (s.gpuUtilizationPercent() != null) {
                sumUtil += s.gpuUtilizationPercent();
                utilCount++;
            }
        }
        int n = Math.max(1, samples.size());
        return new Summary(scope, samples.size(), peakCpu, sumCpu / n, peakRss, (long) (sumRss / n), peakGpu,
                utilCount == 0 ? null : sumUtil / utilCount);
    }
}

package dev.gantry.engine.pool;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the local executor offers: {@code gpu} from {@code nvidia-smi -L}, overridden or extended by the user. */
public final class PoolOffer {

    private PoolOffer() {
    }

    /**
     * @param configured pools given on the command line ({@code --pool tts-slot=3}); {@code gpu} here replaces
     *                   detection
     */
    public static Map<String, Integer> local(Map<String, Integer> configured, Map<String, String> env) {
        Map<String, Integer> pools = new LinkedHashMap<>();
        pools.put("gpu", configured.containsKey("gpu") ? configured.get("gpu") : GpuDetector.count(env.get("PATH")));
        configured.forEach(pools::put);
        return pools;
    }
}

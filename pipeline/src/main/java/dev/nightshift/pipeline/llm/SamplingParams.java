package dev.nightshift.pipeline.llm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How tokens are chosen. Temperature 0 is greedy decoding, which is what the references use and what
 * makes outputs reproducible without a seed.
 */
public record SamplingParams(double temperature, int topK, double topP, long seed) {
    public static final SamplingParams GREEDY = new SamplingParams(0, 0, 1.0, 0);

    public SamplingParams {
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, was " + temperature);
        if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0, was " + topK);
        if (topP <= 0 || topP > 1) throw new IllegalArgumentException("top-p must be in (0, 1], was " + topP);
    }

    public boolean greedy() {
        return temperature == 0;
    }

    /** As recorded with every output. */
    public Map<String, String> asParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("temperature", Double.toString(temperature));
        if (!greedy()) {
            m.put("top_k", Integer.toString(topK));
            m.put("top_p", Double.toString(topP));
            m.put("seed", Long.toString(seed));
        }
        return m;
    }
}

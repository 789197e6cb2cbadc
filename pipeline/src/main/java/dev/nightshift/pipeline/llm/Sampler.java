package dev.nightshift.pipeline.llm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of logits. {@link #ARGMAX} is greedy decoding (ties go to the
 * lowest id, as torch.argmax does); {@link #of} builds temperature / top-k / top-p sampling with a
 * seeded generator, so the same seed gives the same text.
 */
@FunctionalInterface
interface Sampler {
    /**
     * @param logits one buffer holding several rows
     * @param offset where this row starts
     * @param vocab  the row length
     */
    int sample(float[] logits, int offset, int vocab);

    Sampler ARGMAX = (logits, offset, vocab) -> {
        int best = 0;
        float bestValue = logits[offset];
        for (int i = 1; i < vocab; i++) {
            float v = logits[offset + i];
            if (v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    };

    /** Greedy when temperature is 0; otherwise softmax(logits / temperature) cut to top-k, then to top-p. */
    static Sampler of(SamplingParams params) {
        if (params.greedy()) return ARGMAX;
        SplittableRandom random = new SplittableRandom(params.seed());
        return (logits, offset, vocab) -> {
            int k = params.topK() > 0 ? Math.min(params.topK(), vocab) : vocab;
            // Candidate ids sorted by logit, best first; only the top k are needed.
            Integer[] ids = new Integer[vocab];
            for (int i = 0; i < vocab; i++) ids[i] = i;
            Arrays.sort(ids, (a, b) -> {
                int c = Float.compare(logits[offset + b], logits[offset + a]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            // Tokens a constraint ruled out (-infinity) are never candidates, whatever k says.
            while (k > 1 && logits[offset + ids[k - 1]] == Float.NEGATIVE_INFINITY) k--;
            double max = logits[offset + ids[0]];
            double[] p = new double[k];
            double sum = 0;
            for (int i = 0; i < k; i++) {
                p[i] = Math.exp((logits[offset + ids[i]] - max) / params.temperature());
                sum += p[i];
            }
            // Top-p: the smallest prefix whose probability reaches p (at least one token).
            int keep = k;
            if (params.topP() < 1.0) {
                double cumulative = 0;
                for (int i = 0; i < k; i++) {
                    cumulative += p[i] / sum;
                    if (cumulative >= params.topP()) {
                        keep = i + 1;
                        break;
                    }
                }
            }
            double kept = 0;
            for (int i = 0; i < keep; i++) kept += p[i];
            double r = random.nextDouble() * kept;
            for (int i = 0; i < keep; i++) {
                r -= p[i];
                if (r <= 0) return ids[i];
            }
            return ids[keep - 1];
        };
    }
}

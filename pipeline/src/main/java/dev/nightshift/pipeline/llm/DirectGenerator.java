package dev.nightshift.pipeline.llm;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates one call's requests on the caller's thread, in batches of up to {@code maxBatch} rows of
 * similar length. For single commands and tests; a run shares a {@link BatchingGenerator} instead.
 */
public final class DirectGenerator implements Generator {
    private final GemmaEngine engine;
    private final int maxBatch;

    public DirectGenerator(GemmaEngine engine, int maxBatch) {
        this.engine = engine;
        this.maxBatch = Math.max(1, maxBatch);
    }

    @Override
    public List<GenerationResult> generate(List<GenerationRequest> requests) {
        Map<GenerationRequest, GenerationResult> results = new IdentityHashMap<>();
        for (List<GenerationRequest> batch : LengthBatches.plan(requests, r -> r.promptIds().length, maxBatch)) {
            List<GenerationResult> out = engine.generate(batch);
            for (int i = 0; i < batch.size(); i++) results.put(batch.get(i), out.get(i));
        }
        List<GenerationResult> ordered = new ArrayList<>(requests.size());
        for (GenerationRequest r : requests) ordered.add(results.get(r));
        return ordered;
    }
}

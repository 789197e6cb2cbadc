package dev.nightshift.pipeline.llm;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed set of requests generated together: every one joins the {@link ContinuousDecoder} at its first
 * step and none after; each leaves as soon as it finishes. Tokens stream to the listener under the
 * request's index in the list.
 */
final class StaticBatch implements GemmaEngine.Feed {
    /** Each request under an identity of its own, so that a request listed twice is generated twice. */
    private final List<GenerationRequest> rows;
    private final Map<GenerationRequest, Integer> index = new IdentityHashMap<>();
    private final GenerationResult[] results;
    private final TokenListener listener;
    private boolean offered;
    private RuntimeException failure;

    StaticBatch(List<GenerationRequest> requests, TokenListener listener) {
        this.rows = requests.stream().map(r -> new GenerationRequest(r.promptIds(), r.maxNewTokens(), r.sampling(),
                r.stopAtEos(), r.images(), r.constraint())).toList();
        for (int i = 0; i < rows.size(); i++) index.put(rows.get(i), i);
        this.results = new GenerationResult[rows.size()];
        this.listener = listener;
    }

    /** The requests as the decoder sees them (each under an identity of its own). */
    List<GenerationRequest> rows() {
        return rows;
    }

    @Override
    public List<GenerationRequest> join(int running, long length) {
        if (offered) return List.of();
        offered = true;
        return rows;
    }

    @Override
    public void token(GenerationRequest request, int token) {
        listener.onToken(index.get(request), token);
    }

    @Override
    public void done(GenerationRequest request, GenerationResult result) {
        results[index.get(request)] = result;
    }

    @Override
    public void failed(GenerationRequest request, RuntimeException error) {
        if (failure == null) failure = error;
    }

    /** The results in the order of the requests; throws what made a request fail. */
    List<GenerationResult> results() {
        if (failure != null) throw failure;
        return List.of(results);
    }
}

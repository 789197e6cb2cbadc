package dev.nightshift.pipeline.llm;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A feed that hands the decoder a planned list of requests at each call (the first list before the first
 * step, the next before the second step, ...; an empty list joins nothing), then nothing, and keeps what
 * comes back. For checks and tests of rows joining a running batch; a request that cannot join is thrown.
 */
public final class ScriptedFeed implements GemmaEngine.Feed {
    private final List<List<GenerationRequest>> joins;
    private final Map<GenerationRequest, GenerationResult> results = new IdentityHashMap<>();
    private final List<Integer> rowsPerStep = new ArrayList<>();
    private final List<long[]> shapes = new ArrayList<>();
    private int next;

    /** @param joins what joins before each step, in order */
    public ScriptedFeed(List<List<GenerationRequest>> joins) {
        this.joins = joins;
    }

    /** Each request joining one step after the one before it. */
    public static ScriptedFeed oneAStep(List<GenerationRequest> requests) {
        return new ScriptedFeed(requests.stream().map(List::of).toList());
    }

    @Override
    public List<GenerationRequest> join(int rows, long length) {
        shapes.add(new long[] {rows, length});
        return next < joins.size() ? joins.get(next++) : List.of();
    }

    @Override
    public void done(GenerationRequest request, GenerationResult result) {
        results.put(request, result);
    }

    @Override
    public void failed(GenerationRequest request, RuntimeException error) {
        throw error;
    }

    @Override
    public void stepped(int rows) {
        rowsPerStep.add(rows);
    }

    /** The result of a request (by identity), or null when it has none. */
    public GenerationResult result(GenerationRequest request) {
        return results.get(request);
    }

    /** The rows of each decoding step, in order. */
    public List<Integer> rowsPerStep() {
        return rowsPerStep;
    }

    /** The batch's {rows, length} at each call to {@link #join}, in order. */
    public List<long[]> shapes() {
        return shapes;
    }
}

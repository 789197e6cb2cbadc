package dev.nightshift.pipeline.llm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Cuts requests into batches of similar prompt length. Rows of a batch are padded to its longest
 * prompt, and padding costs attention at every step of a long generation, so a batch only takes
 * requests within a quarter of its shortest one, plus 64 tokens: among short prompts (a chunk of a
 * few sentences, ~100 tokens) that much padding costs less than a batch left half empty.
 */
final class LengthBatches {
    private LengthBatches() {
    }

    /** True when a prompt of {@code length} may join a batch whose shortest prompt has {@code shortest} tokens. */
    static boolean similar(int shortest, int length) {
        int low = Math.min(shortest, length);
        int high = Math.max(shortest, length);
        return high <= low * 5 / 4 + 64;
    }

    /** Batches of at most {@code maxBatch} items of similar length, shortest first; items keep their identity. */
    static <T> List<List<T>> plan(List<T> items, ToIntFunction<T> length, int maxBatch) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingInt(length));
        List<List<T>> batches = new ArrayList<>();
        List<T> current = new ArrayList<>();
        for (T item : sorted) {
            boolean fits = current.isEmpty()
                    || current.size() < maxBatch && similar(length.applyAsInt(current.get(0)), length.applyAsInt(item));
            if (!fits) {
                batches.add(current);
                current = new ArrayList<>();
            }
            current.add(item);
        }
        if (!current.isEmpty()) batches.add(current);
        return batches;
    }
}

package dev.nightshift.pipeline.constrain;

import dev.nightshift.pipeline.llm.TokenConstraint;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link TokenConstraint} from a {@link ByteDfa} and a model's {@link TokenVocabulary}: a token may come
 * next when every byte it writes is allowed in turn, and when the output can still be completed in the
 * tokens left. The set of allowed tokens of a state is found by one walk of the vocabulary's trie and
 * cached as a bit mask (a state is an int; rows and documents that reach the same state share it).
 *
 * <p>The budget: {@code distance[s]} is the fewest tokens from state s to a complete output, counting only
 * tokens of one byte (Gemma has one for every byte, so the bound is real). A token is allowed only if the
 * distance of the state it leads to fits in what is left after it; a row thus always closes its JSON before
 * its last token, and a random model cannot loop in a string until the output is cut. The cached mask keeps
 * the largest such distance of its tokens: while the budget is above it, the mask holds as is; near the end
 * a filtered mask is computed.
 *
 * <p>Sharing: a mask only depends on the strings a state accepts up to the longest token (48 bytes in Gemma's
 * vocabulary), so states that agree on those share one mask. The copies of an array's item (one per possible
 * item up to {@code maxItems}) and the character counts of a long {@code maxLength} string far from its limit
 * are one mask each: an invoice schema's 55,901 states need a few thousand masks. The classes come from the
 * partition refinement of DFA minimization, stopped after that many rounds ({@link #lookalikes}).
 */
public final class AutomatonConstraint implements TokenConstraint {
    /** Distance of a state from which no complete output can be reached. */
    static final int FAR = Integer.MAX_VALUE / 2;
    /** The most bytes of masks kept per constraint. */
    private static final long CACHE_BYTES = 64L << 20;

    private final ByteDfa dfa;
    private final TokenVocabulary vocabulary;
    private final int[] distance;
    /** States with the same number have the same unfiltered mask. */
    private final int[] maskClass;
    /** Per state, the largest distance of a state a token can lead to (computed when first needed), or -1. */
    private final int[] reach;
    private final Map<Long, Mask> cache;
    private final LongAdder calls = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** A state's allowed tokens: bits over token ids; the ids themselves when few; the largest distance after one. */
    private record Mask(long[] bits, int[] allowed, int maxEnd) {
    }

    /** What masking has cost so far: for the benchmark. */
    public record Stats(long masks, long nanos, long misses, int states, int classes) {
    }

    public AutomatonConstraint(ByteDfa dfa, TokenVocabulary vocabulary) {
        this.dfa = dfa;
        this.vocabulary = vocabulary;
        this.distance = distances(dfa, vocabulary);
        if (distance[0] >= FAR) throw new IllegalArgumentException("no complete output can be written with this model's tokens");
        this.maskClass = lookalikes(dfa, distance, vocabulary.longest);
        this.reach = new int[dfa.states()];
        Arrays.fill(reach, -1);
        int maskBytes = ((vocabulary.size + 63) >>> 6) * 8;
        int entries = (int) Math.max(64, CACHE_BYTES / maskBytes);
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Mask> eldest) {
                return size() > entries;
            }
        };
    }

    /** The fewest tokens of a complete output: a request needs at least this many. */
    public int shortest() {
        return distance[0];
    }

    public Stats stats() {
        return new Stats(calls.sum(), nanos.sum(), misses.sum(), dfa.states(), (int) Arrays.stream(maskClass).distinct().count());
    }

    @Override
    public Cursor start() {
        return new AutomatonCursor();
    }

    private final class AutomatonCursor implements Cursor {
        int state;
        float[] kept = new float[0];

        @Override
        public void mask(float[] logits, int offset, int vocab, int remaining) {
            long started = System.nanoTime();
            int left = remaining - 1;
            Mask m = reach(state) <= left ? maskOf(state, FAR) : maskOf(state, left);
            if (m.maxEnd < 0) throw new IllegalStateException("no token completes the output in " + remaining + " tokens; state " + state + " distance " + distance[state] + " vocab " + vocab + " size " + vocabulary.size);
            apply(m, logits, offset, vocab);
            calls.increment();
            nanos.add(System.nanoTime() - started);
        }

        private void apply(Mask m, float[] logits, int offset, int vocab) {
            if (m.allowed != null) {
                if (kept.length < m.allowed.length) kept = new float[m.allowed.length];
                for (int i = 0; i < m.allowed.length; i++) if (m.allowed[i] < vocab) kept[i] = logits[offset + m.allowed[i]];
                Arrays.fill(logits, offset, offset + vocab, Float.NEGATIVE_INFINITY);
                for (int i = 0; i < m.allowed.length; i++) if (m.allowed[i] < vocab) logits[offset + m.allowed[i]] = kept[i];
                return;
            }
            long[] bits = m.bits;
            for (int w = 0; w < bits.length && w * 64 < vocab; w++) {
                long word = bits[w];
                if (word == -1L) continue;
                int base = w * 64;
                for (int i = 0; i < 64 && base + i < vocab; i++) if ((word >>> i & 1) == 0) logits[offset + base + i] = Float.NEGATIVE_INFINITY;
            }
            // Logit rows wider than the tokenizer: ids no piece writes.
            if (bits.length * 64 < vocab) Arrays.fill(logits, offset + bits.length * 64, offset + vocab, Float.NEGATIVE_INFINITY);
        }

        @Override
        public boolean advance(int token) {
            byte[] b = vocabulary.bytes(token);
            if (b == null) throw new IllegalStateException("token " + token + " writes nothing a constraint allows");
            for (byte x : b) {
                state = dfa.next(state, x & 0xff);
                if (state < 0) throw new IllegalStateException("token " + token + " was not allowed");
            }
            return dfa.accepting(state) && !dfa.open(state);
        }
    }

    /**
     * The mask of {@code state} keeping tokens after which at most {@code limit} tokens complete the output;
     * {@link #FAR}: all tokens, shared by the state's class.
     */
    private Mask maskOf(int state, int limit) {
        long key = limit == FAR ? -1L - maskClass[state] : (long) state << 32 | (limit & 0xffffffffL);
        synchronized (cache) {
            Mask m = cache.get(key);
            if (m != null) return m;
        }
        misses.increment();
        Mask m = walk(state, limit);
        synchronized (cache) {
            cache.put(key, m);
        }
        return m;
    }

    /** The allowed tokens of {@code state} as the cursor gets them (its class's mask), and as a walk of its own finds them: for tests. */
    long[][] sharedAndOwn(int state) {
        return new long[][]{maskOf(state, FAR).bits, walk(state, FAR).bits};
    }

    /** One walk of the trie from {@code state}: a branch ends at the first byte the automaton refuses. */
    private Mask walk(int state, int limit) {
        TokenVocabulary v = vocabulary;
        long[] bits = new long[(v.size + 63) >>> 6];
        int count = 0;
        int maxEnd = -1;
        int[] nodes = new int[256];
        int[] states = new int[256];
        int top = 0;
        for (int c = v.childStart[0], last = c + v.childCount[0]; c < last; c++) {
            int t = dfa.next(state, v.label[c] & 0xff);
            if (t < 0 || distance[t] >= FAR) continue;
            if (top == nodes.length) {
                nodes = Arrays.copyOf(nodes, top * 2);
                states = Arrays.copyOf(states, top * 2);
            }
            nodes[top] = c;
            states[top++] = t;
        }
        while (top > 0) {
            int n = nodes[--top];
            int t = states[top];
            if (distance[t] <= limit) {
                for (int id = v.tokenHead[n]; id >= 0; id = v.tokenNext[id]) {
                    bits[id >>> 6] |= 1L << (id & 63);
                    count++;
                }
                if (v.tokenHead[n] >= 0) maxEnd = Math.max(maxEnd, distance[t]);
            }
            for (int c = v.childStart[n], last = c + v.childCount[n]; c < last; c++) {
                int u = dfa.next(t, v.label[c] & 0xff);
                if (u < 0 || distance[u] >= FAR) continue;
                if (top == nodes.length) {
                    nodes = Arrays.copyOf(nodes, top * 2);
                    states = Arrays.copyOf(states, top * 2);
                }
                nodes[top] = c;
                states[top++] = u;
            }
        }
        int[] allowed = null;
        if (count <= v.size / 16) {
            allowed = new int[count];
            int i = 0;
            for (int w = 0; w < bits.length; w++)
                for (long word = bits[w]; word != 0; word &= word - 1) allowed[i++] = w * 64 + Long.numberOfTrailingZeros(word);
        }
        return new Mask(bits, allowed, maxEnd);
    }

    /**
     * The largest distance among the states the bytes of one token (at most {@code longest}) can reach from
     * {@code state}: when the tokens left cover it, every token of the state's mask can still be completed.
     */
    private int reach(int state) {
        int known = reach[state];
        if (known >= 0) return known;
        int longest = vocabulary.longest;
        java.util.BitSet seen = new java.util.BitSet();
        int[] layer = {state};
        int max = 0;
        for (int depth = 0; depth < longest && layer.length > 0; depth++) {
            int[] next = new int[16];
            int n = 0;
            for (int s : layer) {
                for (int b = 0; b < 256; b++) {
                    int t = dfa.next(s, b);
                    if (t < 0 || distance[t] >= FAR || seen.get(t)) continue;
                    seen.set(t);
                    max = Math.max(max, distance[t]);
                    if (n == next.length) next = Arrays.copyOf(next, n * 2);
                    next[n++] = t;
                }
            }
            layer = Arrays.copyOf(next, n);
        }
        reach[state] = max;
        return max;
    }

    /**
     * Classes of states that allow the same strings of up to {@code depth} bytes (to a state from which the output
     * can be completed): Moore's partition refinement, {@code depth} rounds. Two states of a class have the same
     * unfiltered mask, since no token is longer.
     */
    static int[] lookalikes(ByteDfa dfa, int[] distance, int depth) {
        int n = dfa.states();
        int[] cls = new int[n];
        for (int s = 0; s < n; s++) cls[s] = distance[s] < FAR ? 0 : -1;
        int classes = 1;
        // One byte per class of bytes the automaton does not tell apart is enough.
        int[] representative = dfa.representatives();
        int width = representative.length;
        for (int round = 0; round < depth; round++) {
            java.util.Map<IntsKey, Integer> ids = new java.util.HashMap<>();
            int[] next = new int[n];
            for (int s = 0; s < n; s++) {
                if (cls[s] < 0) {
                    next[s] = -1;
                    continue;
                }
                int[] signature = new int[width + 1];
                signature[0] = cls[s];
                for (int i = 0; i < width; i++) {
                    int t = dfa.next(s, representative[i]);
                    signature[i + 1] = t < 0 ? -1 : cls[t];
                }
                Integer id = ids.get(new IntsKey(signature));
                if (id == null) {
                    id = ids.size();
                    ids.put(new IntsKey(signature), id);
                }
                next[s] = id;
            }
            cls = next;
            if (ids.size() == classes) break; // stable: further rounds split nothing
            classes = ids.size();
        }
        return cls;
    }

    /** Fewest one-byte tokens from each state to a complete output (accepting, nothing more allowed); {@link #FAR} if none. */
    private static int[] distances(ByteDfa dfa, TokenVocabulary vocabulary) {
        int n = dfa.states();
        // Reverse edges over the bytes that are tokens of their own.
        int[] counts = new int[n + 1];
        for (int s = 0; s < n; s++)
            for (int b = 0; b < 256; b++) if (vocabulary.byteToken[b] >= 0 && dfa.next(s, b) >= 0) counts[dfa.next(s, b) + 1]++;
        for (int i = 0; i < n; i++) counts[i + 1] += counts[i];
        int[] from = new int[counts[n]];
        int[] fill = Arrays.copyOf(counts, n);
        for (int s = 0; s < n; s++)
            for (int b = 0; b < 256; b++) if (vocabulary.byteToken[b] >= 0 && dfa.next(s, b) >= 0) from[fill[dfa.next(s, b)]++] = s;
        int[] distance = new int[n];
        Arrays.fill(distance, FAR);
        int[] queue = new int[n];
        int head = 0, tail = 0;
        for (int s = 0; s < n; s++) {
            if (dfa.accepting(s) && !dfa.open(s)) {
                distance[s] = 0;
                queue[tail++] = s;
            }
        }
        while (head < tail) {
            int t = queue[head++];
            for (int i = counts[t]; i < counts[t + 1]; i++) {
                int s = from[i];
                if (distance[s] < FAR) continue;
                distance[s] = distance[t] + 1;
                queue[tail++] = s;
            }
        }
        return distance;
    }
}

package dev.nightshift.pipeline.constrain;

import dev.nightshift.pipeline.llm.TokenConstraint;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * A {@link TokenConstraint} from a {@link ByteDfa} and a model's {@link TokenVocabulary}: a token may come
 * next when every byte it writes is allowed in turn, and when the output can still be completed in the
 * tokens left. The set of allowed tokens of a state is found by one walk of the vocabulary's trie and
 * kept as a mask (bits over token ids, or the ids when few).
 *
 * <p>The budget: {@code distance[s]} is how many tokens state s needs to a complete output: one of its shortest
 * completions, cut into the vocabulary's pieces ({@link #distances}; Gemma has a piece for every byte, so every
 * completion can be written). A token is allowed only if the
 * distance of the state it leads to fits in what is left after it; a row thus always closes its JSON before
 * its last token, and a random model cannot loop in a string until the output is cut. A mask keeps the
 * largest such distance of its tokens ({@code maxEnd}) and, sorted by distance, the tokens that lead nearer
 * or farther than most: a budget is met by a prefix of one of those lists. No budget needs a walk of its own.
 *
 * <p>Sharing: a mask only depends on the strings a state accepts up to the longest token (48 bytes in Gemma's
 * vocabulary) and the distances they lead to, so states that agree on those share one mask. The copies of an
 * array's item (one per possible item up to {@code maxItems}) and the character counts of a long
 * {@code maxLength} string far from its limit are one mask each: an invoice schema's 55,901 states need a
 * few thousand masks. The classes come from the partition refinement of DFA minimization, stopped after that
 * many rounds ({@link #lookalikes}). {@link #prepare} computes every class's mask ahead, on all cores, so
 * that decoding only applies them.
 */
public final class AutomatonConstraint implements TokenConstraint {
    /** Distance of a state from which no complete output can be reached. */
    static final int FAR = Integer.MAX_VALUE / 2;
    /** The most bytes of masks kept per constraint; masks past it are computed again when met. */
    private static final long KEPT_BYTES = 256L << 20;
    /** Masks kept past {@link #KEPT_BYTES}, the most recently used. */
    private static final int SPILL = 256;

    private final ByteDfa dfa;
    private final TokenVocabulary vocabulary;
    private final int[] distance;
    /** States with the same number have the same masks. */
    private final int[] maskClass;
    private final int classes;
    /** Per trie node, the DFA's class of the byte on the edge into it. */
    private final int[] labelClass;
    /** Per class, its mask once computed and kept. */
    private final Mask[] masks;
    private final AtomicLong keptBytes = new AtomicLong();
    private final Map<Integer, Mask> spill;
    private final LongAdder calls = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder tight = new LongAdder();

    /**
     * A class's allowed tokens: {@code bits} over token ids, or {@code allowed} ids when few (the other null);
     * {@code maxEnd}, the largest distance after one of them (-1: none). Most tokens of a mask lead to one
     * distance, {@code usual} (inside a string: the string's characters); {@code nearer} holds the tokens leading
     * below it, in increasing {@code nearerEnd}, and {@code farther} those leading above it, in decreasing
     * {@code fartherEnd}: a budget below {@code usual} allows a prefix of the first, one above it everything but a
     * prefix of the second.
     */
    private record Mask(long[] bits, int[] allowed, int maxEnd, int usual,
                        int[] nearer, int[] nearerEnd, int[] farther, int[] fartherEnd) {
        long bytes() {
            return 96 + (bits == null ? 0 : 8L * bits.length) + (allowed == null ? 0 : 4L * allowed.length)
                    + 8L * nearer.length + 8L * farther.length;
        }

        /** The length of the prefix of {@code ends} at most {@code limit} (ends increasing), or above it (ends decreasing). */
        static int within(int[] ends, int limit, boolean increasing) {
            int lo = 0, hi = ends.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (increasing ? ends[mid] <= limit : ends[mid] > limit) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }
    }

    /**
     * What masking has cost so far, for the benchmark: masks applied, the time taken applying (and computing
     * when missing), masks computed while decoding, masks applied under a tight budget; states, classes, and the
     * bytes of masks kept.
     */
    public record Stats(long masks, long nanos, long misses, long tight, int states, int classes, long keptBytes) {
    }

    public AutomatonConstraint(ByteDfa dfa, TokenVocabulary vocabulary) {
        this.dfa = dfa;
        this.vocabulary = vocabulary;
        this.distance = distances(dfa, vocabulary);
        if (distance[0] >= FAR) throw new IllegalArgumentException("no complete output can be written with this model's tokens");
        this.maskClass = lookalikes(dfa, distance, vocabulary.longest);
        this.classes = Arrays.stream(maskClass).max().orElse(-1) + 1;
        this.masks = new Mask[classes];
        this.labelClass = new int[vocabulary.label.length];
        for (int n = 0; n < labelClass.length; n++) labelClass[n] = dfa.classOf(vocabulary.label[n] & 0xff);
        this.spill = new LinkedHashMap<>(SPILL, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Mask> eldest) {
                return size() > SPILL;
            }
        };
    }

    /** The fewest tokens of a complete output: a request needs at least this many. */
    public int shortest() {
        return distance[0];
    }

    /** Fewest tokens from {@code state} to a complete output: for tests. */
    int distance(int state) {
        return distance[state];
    }

    public Stats stats() {
        return new Stats(calls.sum(), nanos.sum(), misses.sum(), tight.sum(), dfa.states(), classes, keptBytes.get());
    }

    /**
     * Computes the masks of every class ahead, in parallel, nearest the start first, until {@link #KEPT_BYTES}
     * are kept: a run pays once, at its start, what it would otherwise pay at the steps that meet a state first
     * (with the cores idle between ONNX steps). Returns the classes computed.
     */
    public int prepare() {
        int[][] met = classesFromStart();
        int[] order = met[0], first = met[1];
        return IntStream.range(0, order.length).parallel()
                .filter(i -> keptBytes.get() < KEPT_BYTES && masks[order[i]] == null)
                .map(i -> {
                    keep(order[i], walk(first[i]));
                    return 1;
                }).sum();
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
            Mask m = maskOf(state);
            if (m.maxEnd < 0) throw new IllegalStateException("no token may come in state " + state);
            if (left < m.usual) {
                // Only tokens leading nearer than usual: a prefix of that list.
                int k = Mask.within(m.nearerEnd, left, true);
                if (k == 0) throw new IllegalStateException("no token completes the output in " + remaining
                        + " tokens; state " + state + " distance " + distance[state]);
                keepOnly(m.nearer, k, logits, offset, vocab);
            } else {
                if (m.allowed != null) keepOnly(m.allowed, m.allowed.length, logits, offset, vocab);
                else clear(m.bits, logits, offset, vocab);
                // Then off with the tokens leading farther than the budget: a prefix of that list.
                for (int i = 0, k = Mask.within(m.fartherEnd, left, false); i < k; i++)
                    if (m.farther[i] < vocab) logits[offset + m.farther[i]] = Float.NEGATIVE_INFINITY;
            }
            if (left < m.maxEnd) tight.increment();
            calls.increment();
            nanos.add(System.nanoTime() - started);
        }

        /** Leaves the logits of the first {@code count} of {@code ids}, -infinity elsewhere. */
        private void keepOnly(int[] ids, int count, float[] logits, int offset, int vocab) {
            if (kept.length < count) kept = new float[count];
            for (int i = 0; i < count; i++) if (ids[i] < vocab) kept[i] = logits[offset + ids[i]];
            Arrays.fill(logits, offset, offset + vocab, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < count; i++) if (ids[i] < vocab) logits[offset + ids[i]] = kept[i];
        }

        private void clear(long[] bits, float[] logits, int offset, int vocab) {
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

    /** The mask of {@code state}'s class: kept, or computed now (and kept while there is room). */
    private Mask maskOf(int state) {
        int c = maskClass[state];
        Mask m = masks[c];
        if (m != null) return m;
        synchronized (spill) {
            m = spill.get(c);
        }
        if (m != null) return m;
        misses.increment();
        return keep(c, walk(state));
    }

    private Mask keep(int c, Mask m) {
        if (keptBytes.addAndGet(m.bytes()) <= KEPT_BYTES) {
            // A record's final fields make it safe to hand to other threads through a plain array.
            masks[c] = m;
        } else {
            keptBytes.addAndGet(-m.bytes());
            synchronized (spill) {
                spill.put(c, m);
            }
        }
        return m;
    }

    /**
     * Classes in the order a breadth-first search from the start state meets them (classes of dead states left
     * out), and the first state met of each: {order, state}.
     */
    private int[][] classesFromStart() {
        int[] representative = dfa.representatives();
        boolean[] seen = new boolean[dfa.states()];
        boolean[] met = new boolean[classes];
        int[] queue = new int[dfa.states()];
        int[] order = new int[classes];
        int[] first = new int[classes];
        int head = 0, tail = 0, n = 0;
        queue[tail++] = 0;
        seen[0] = true;
        while (head < tail) {
            int s = queue[head++];
            int c = maskClass[s];
            if (c < 0) continue;
            if (!met[c]) {
                met[c] = true;
                first[n] = s;
                order[n++] = c;
            }
            for (int b : representative) {
                int t = dfa.next(s, b);
                if (t >= 0 && !seen[t]) {
                    seen[t] = true;
                    queue[tail++] = t;
                }
            }
        }
        return new int[][]{Arrays.copyOf(order, n), Arrays.copyOf(first, n)};
    }

    /**
     * The tokens {@code state} allows under a budget of {@code limit} tokens after them, as the cursor finds
     * them through its class's mask, and as a check of each token's bytes finds them: for tests.
     */
    long[][] sharedAndOwn(int state, int limit) {
        TokenVocabulary v = vocabulary;
        long[] shared = new long[(v.size + 63) >>> 6];
        long[] own = new long[shared.length];
        Mask m = maskOf(state);
        if (limit < m.usual) {
            for (int i = 0, k = Mask.within(m.nearerEnd, limit, true); i < k; i++) shared[m.nearer[i] >>> 6] |= 1L << (m.nearer[i] & 63);
        } else {
            if (m.bits != null) System.arraycopy(m.bits, 0, shared, 0, shared.length);
            else for (int id : m.allowed) shared[id >>> 6] |= 1L << (id & 63);
            for (int i = 0, k = Mask.within(m.fartherEnd, limit, false); i < k; i++) shared[m.farther[i] >>> 6] &= ~(1L << (m.farther[i] & 63));
        }
        for (int id = 0; id < v.size; id++) {
            byte[] b = v.bytes(id);
            if (b == null || b.length == 0) continue;
            int t = state;
            for (int i = 0; i < b.length && t >= 0; i++) t = dfa.next(t, b[i] & 0xff);
            if (t >= 0 && distance[t] <= limit) own[id >>> 6] |= 1L << (id & 63);
        }
        return new long[][]{shared, own};
    }

    /** Scratch of one walk: the tokens found and the distance after each. */
    private static final ThreadLocal<int[][]> SCRATCH = new ThreadLocal<>();

    /**
     * One walk of the trie from {@code state}: a branch ends at the first byte the automaton refuses, or that leads
     * where no output can be completed.
     */
    private Mask walk(int state) {
        TokenVocabulary v = vocabulary;
        int[][] scratch = SCRATCH.get();
        if (scratch == null || scratch[0].length < v.size) SCRATCH.set(scratch = new int[][]{new int[v.size], new int[v.size], new int[256], new int[256]});
        int[] ids = scratch[0], ends = scratch[1], nodes = scratch[2], states = scratch[3];
        int count = 0;
        int maxEnd = -1;
        int top = 0;
        nodes[top] = 0;
        states[top++] = state;
        while (top > 0) {
            int n = nodes[--top];
            int t = states[top];
            if (n != 0) {
                int d = distance[t];
                for (int id = v.tokenHead[n]; id >= 0; id = v.tokenNext[id]) {
                    ids[count] = id;
                    ends[count++] = d;
                    if (d > maxEnd) maxEnd = d;
                }
            }
            for (int c = v.childStart[n], last = c + v.childCount[n]; c < last; c++) {
                int u = dfa.nextByClass(t, labelClass[c]);
                if (u < 0 || distance[u] >= FAR) continue;
                if (top == nodes.length) {
                    scratch[2] = nodes = Arrays.copyOf(nodes, top * 2);
                    scratch[3] = states = Arrays.copyOf(states, top * 2);
                }
                nodes[top] = c;
                states[top++] = u;
            }
        }
        return mask(ids, ends, count, maxEnd);
    }

    /** The mask of {@code count} tokens found with their distances. */
    private Mask mask(int[] ids, int[] ends, int count, int maxEnd) {
        int[] perEnd = new int[Math.max(0, maxEnd) + 1];
        for (int i = 0; i < count; i++) perEnd[ends[i]]++;
        int usual = 0;
        for (int d = 1; d < perEnd.length; d++) if (perEnd[d] > perEnd[usual]) usual = d;
        // Counting sorts (distances are small): below usual increasing, above it decreasing.
        int[] at = new int[perEnd.length];
        int nearerCount = 0, fartherCount = 0;
        for (int d = 0; d < usual; d++) {
            at[d] = nearerCount;
            nearerCount += perEnd[d];
        }
        for (int d = perEnd.length - 1; d > usual; d--) {
            at[d] = fartherCount;
            fartherCount += perEnd[d];
        }
        int[] nearer = new int[nearerCount], nearerEnd = new int[nearerCount];
        int[] farther = new int[fartherCount], fartherEnd = new int[fartherCount];
        for (int i = 0; i < count; i++) {
            int d = ends[i];
            if (d < usual) {
                nearer[at[d]] = ids[i];
                nearerEnd[at[d]++] = d;
            } else if (d > usual) {
                farther[at[d]] = ids[i];
                fartherEnd[at[d]++] = d;
            }
        }
        if (count <= vocabulary.size / 64) return new Mask(null, Arrays.copyOf(ids, count), maxEnd, usual, nearer, nearerEnd, farther, fartherEnd);
        long[] bits = new long[(vocabulary.size + 63) >>> 6];
        for (int i = 0; i < count; i++) bits[ids[i] >>> 6] |= 1L << (ids[i] & 63);
        return new Mask(bits, null, maxEnd, usual, nearer, nearerEnd, farther, fartherEnd);
    }

    /**
     * Classes of states that allow the same strings of up to {@code depth} bytes, each leading to a state of the
     * same distance: Moore's partition refinement, {@code depth} rounds. Two states of a class have the same masks,
     * for any budget, since no token is longer.
     */
    static int[] lookalikes(ByteDfa dfa, int[] distance, int depth) {
        int n = dfa.states();
        // First classes: states of the same distance. Refined, two states of a class lead by the same string to
        // states of the same distance, so their masks for a budget are the same too.
        int[] cls = new int[n];
        Map<Integer, Integer> byDistance = new java.util.HashMap<>();
        for (int s = 0; s < n; s++) cls[s] = distance[s] < FAR ? byDistance.computeIfAbsent(distance[s], d -> byDistance.size()) : -1;
        int classes = byDistance.size();
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

    /**
     * Per state, the tokens it takes to write one of its shortest completions (fewest bytes), cut into as few of
     * the vocabulary's pieces as that string allows; {@link #FAR} if no complete output can be reached. Not always
     * the fewest tokens of any completion, but always reachable: the first piece of that cut leads to a state whose
     * own count is one less, so a mask that allows only tokens leading to counts within the budget always allows it.
     * One-byte tokens alone would count every byte (a schema's member names, written whole by a few tokens, would
     * cost a token a letter, and a row be made to close its object long before it had to).
     */
    private static int[] distances(ByteDfa dfa, TokenVocabulary vocabulary) {
        int n = dfa.states();
        // Reverse edges over the bytes that are tokens of their own.
        int[] counts = new int[n + 1];
        for (int s = 0; s < n; s++)
            for (int b = 0; b < 256; b++) if (vocabulary.byteToken[b] >= 0 && dfa.next(s, b) >= 0) counts[dfa.next(s, b) + 1]++;
        for (int i = 0; i < n; i++) counts[i + 1] += counts[i];
        int[] from = new int[counts[n]];
        byte[] fromByte = new byte[counts[n]];
        int[] fill = Arrays.copyOf(counts, n);
        for (int s = 0; s < n; s++) {
            for (int b = 0; b < 256; b++) {
                if (vocabulary.byteToken[b] < 0 || dfa.next(s, b) < 0) continue;
                int at = fill[dfa.next(s, b)]++;
                from[at] = s;
                fromByte[at] = (byte) b;
            }
        }
        // Breadth first from the complete states: fewest bytes, and per state the byte and state one shortest
        // completion goes on with.
        int[] bytes = new int[n];
        Arrays.fill(bytes, FAR);
        int[] stepState = new int[n];
        byte[] stepByte = new byte[n];
        int[] queue = new int[n];
        int head = 0, tail = 0;
        for (int s = 0; s < n; s++) {
            if (dfa.accepting(s) && !dfa.open(s)) {
                bytes[s] = 0;
                queue[tail++] = s;
            }
        }
        while (head < tail) {
            int t = queue[head++];
            for (int i = counts[t]; i < counts[t + 1]; i++) {
                int s = from[i];
                if (bytes[s] < FAR) continue;
                bytes[s] = bytes[t] + 1;
                stepState[s] = t;
                stepByte[s] = fromByte[i];
                queue[tail++] = s;
            }
        }
        // In order of fewest bytes, so the states further along are counted first: the fewest pieces that write
        // the completion's start and then the state they lead to's count.
        int[] tokens = new int[n];
        Arrays.fill(tokens, FAR);
        for (int q = 0; q < tail; q++) {
            int s = queue[q];
            if (bytes[s] == 0) {
                tokens[s] = 0;
                continue;
            }
            int best = FAR;
            int node = 0;
            int p = s;
            for (int depth = 0; depth < vocabulary.longest && bytes[p] > 0; depth++) {
                node = vocabulary.childOf(node, stepByte[p] & 0xff);
                if (node < 0) break;
                p = stepState[p];
                if (vocabulary.tokenHead[node] >= 0) best = Math.min(best, 1 + tokens[p]);
            }
            tokens[s] = best;
        }
        return tokens;
    }
}

package dev.nightshift.pipeline.constrain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic automaton over bytes, compiled from a {@link Grammar}: a Thompson NFA, then the subset
 * construction over classes of bytes that no transition tells apart (a JSON grammar has a few dozen, not
 * 256). State 0 is the start; a state is an int, which is what lets a constraint cache a token mask per state.
 *
 * <pre>
 * next: int[states x classes] -> state, or -1 (the byte is not allowed there)
 * </pre>
 */
public final class ByteDfa {
    /** Above this many states a grammar is refused rather than left to eat the memory (a bound far above real schemas). */
    static final int MAX_STATES = 400_000;

    private final int[] classOf;
    private final int classes;
    private final int[] next;
    private final boolean[] accepting;
    private final boolean[] open;

    private ByteDfa(int[] classOf, int classes, int[] next, boolean[] accepting) {
        this.classOf = classOf;
        this.classes = classes;
        this.next = next;
        this.accepting = accepting;
        int states = accepting.length;
        this.open = new boolean[states];
        for (int s = 0; s < states; s++)
            for (int c = 0; c < classes && !open[s]; c++) open[s] = next[s * classes + c] >= 0;
    }

    public int states() {
        return accepting.length;
    }

    /** The state after byte {@code b} (0-255) in {@code state}, or -1 when the byte may not come there. */
    public int next(int state, int b) {
        return next[state * classes + classOf[b]];
    }

    /** The class of byte {@code b}: bytes of a class lead every state to the same state. */
    int classOf(int b) {
        return classOf[b];
    }

    /** As {@link #next(int, int)}, for a byte of class {@code byteClass}. */
    int nextByClass(int state, int byteClass) {
        return next[state * classes + byteClass];
    }

    /** One byte of each class of bytes that every state treats alike. */
    public int[] representatives() {
        int[] out = new int[classes];
        java.util.Arrays.fill(out, -1);
        for (int b = 0; b < 256; b++) if (out[classOf[b]] < 0) out[classOf[b]] = b;
        return out;
    }

    /** True when the bytes read so far are a word of the language. */
    public boolean accepting(int state) {
        return accepting[state];
    }

    /** True when some byte may still come. */
    public boolean open(int state) {
        return open[state];
    }

    /** Compiles {@code grammar}; throws {@link IllegalArgumentException} when it needs more than {@link #MAX_STATES} states. */
    public static ByteDfa of(Grammar grammar) {
        Nfa nfa = new Nfa();
        int[] frag = nfa.build(grammar);
        return nfa.determinize(frag[0], frag[1]);
    }

    /** The NFA: epsilon moves, and moves on a byte set (numbered: equal sets share a number). */
    private static final class Nfa {
        final List<int[]> eps = new ArrayList<>();
        /** Per state: pairs (set number, target). */
        final List<int[]> moves = new ArrayList<>();
        final List<Grammar.Set> sets = new ArrayList<>();
        final Map<List<Long>, Integer> setIds = new HashMap<>();

        int state() {
            eps.add(new int[0]);
            moves.add(new int[0]);
            return eps.size() - 1;
        }

        void eps(int from, int to) {
            int[] e = eps.get(from);
            e = Arrays.copyOf(e, e.length + 1);
            e[e.length - 1] = to;
            eps.set(from, e);
        }

        void move(int from, Grammar.Set set, int to) {
            List<Long> key = List.of(set.bits()[0], set.bits()[1], set.bits()[2], set.bits()[3]);
            int id = setIds.computeIfAbsent(key, k -> {
                sets.add(set);
                return sets.size() - 1;
            });
            int[] m = moves.get(from);
            m = Arrays.copyOf(m, m.length + 2);
            m[m.length - 2] = id;
            m[m.length - 1] = to;
            moves.set(from, m);
        }

        /** Fresh states for {@code g}: {start, end}. */
        int[] build(Grammar g) {
            if (g instanceof Grammar.Bytes b) {
                int start = state(), at = start;
                for (byte x : b.bytes()) {
                    int to = state();
                    move(at, Grammar.range(x & 0xff, x & 0xff), to);
                    at = to;
                }
                return new int[]{start, at};
            }
            if (g instanceof Grammar.Set s) {
                int start = state(), end = state();
                move(start, s, end);
                return new int[]{start, end};
            }
            if (g instanceof Grammar.Seq s) {
                int start = state(), at = start;
                for (Grammar part : s.parts()) {
                    int[] f = build(part);
                    eps(at, f[0]);
                    at = f[1];
                }
                return new int[]{start, at};
            }
            if (g instanceof Grammar.Alt a) {
                int start = state(), end = state();
                for (Grammar option : a.options()) {
                    int[] f = build(option);
                    eps(start, f[0]);
                    eps(f[1], end);
                }
                return new int[]{start, end};
            }
            if (g instanceof Grammar.Repeat r) return repeat(r);
            return members((Grammar.Members) g);
        }

        private int[] repeat(Grammar.Repeat r) {
            int start = state(), at = start;
            for (int i = 0; i < r.min(); i++) {
                int[] f = build(r.item());
                eps(at, f[0]);
                at = f[1];
            }
            int end = state();
            if (r.max() == -1) {
                int loop = state();
                eps(at, loop);
                int[] f = build(r.item());
                eps(loop, f[0]);
                eps(f[1], loop);
                eps(loop, end);
            } else {
                for (int i = r.min(); i < r.max(); i++) {
                    eps(at, end);
                    int[] f = build(r.item());
                    eps(at, f[0]);
                    at = f[1];
                }
                eps(at, end);
            }
            return new int[]{start, end};
        }

        /**
         * States {@code none[i]} (member i next, none present yet) and {@code some[i]} (member i next, some
         * present: a separator first); a present member leads to {@code some[i + 1]}, an optional one left out
         * to the same kind of state at {@code i + 1}.
         */
        private int[] members(Grammar.Members m) {
            int n = m.members().size();
            int[] none = new int[n + 1], some = new int[n + 1];
            for (int i = 0; i <= n; i++) {
                none[i] = state();
                some[i] = state();
            }
            int[] open = build(m.open());
            eps(open[1], none[0]);
            for (int i = 0; i < n; i++) {
                Grammar.Member member = m.members().get(i);
                int[] value = build(member.grammar());
                eps(none[i], value[0]);
                int[] sep = build(m.separator());
                eps(some[i], sep[0]);
                eps(sep[1], value[0]);
                eps(value[1], some[i + 1]);
                if (member.optional()) {
                    eps(none[i], none[i + 1]);
                    eps(some[i], some[i + 1]);
                }
            }
            int[] close = build(m.close());
            eps(none[n], close[0]);
            eps(some[n], close[0]);
            return new int[]{open[0], close[1]};
        }

        ByteDfa determinize(int start, int accept) {
            // Bytes no set tells apart share a class.
            int[] classOf = new int[256];
            Map<List<Boolean>, Integer> signatures = new HashMap<>();
            int[] representative = new int[256];
            for (int b = 0; b < 256; b++) {
                List<Boolean> signature = new ArrayList<>(sets.size());
                for (Grammar.Set s : sets) signature.add(s.has(b));
                final int bb = b;
                classOf[b] = signatures.computeIfAbsent(signature, k -> {
                    representative[signatures.size()] = bb;
                    return signatures.size();
                });
            }
            int classes = signatures.size();
            boolean[][] inSet = new boolean[sets.size()][classes];
            for (int i = 0; i < sets.size(); i++)
                for (int c = 0; c < classes; c++) inSet[i][c] = sets.get(i).has(representative[c]);

            int[] mark = new int[eps.size()];
            int[] stamp = {0};
            Map<IntsKey, Integer> ids = new HashMap<>();
            List<int[]> subsets = new ArrayList<>();
            int[] next = new int[1024 * classes];
            List<Boolean> accepting = new ArrayList<>();
            int[] first = kept(closure(new int[]{start}, mark, stamp), accept);
            ids.put(new IntsKey(first), 0);
            subsets.add(first);
            accepting.add(contains(first, accept));
            for (int d = 0; d < subsets.size(); d++) {
                int[] subset = subsets.get(d);
                for (int c = 0; c < classes; c++) {
                    int[] targets = new int[8];
                    int count = 0;
                    for (int s : subset) {
                        int[] m = moves.get(s);
                        for (int k = 0; k < m.length; k += 2) {
                            if (!inSet[m[k]][c]) continue;
                            if (count == targets.length) targets = Arrays.copyOf(targets, count * 2);
                            targets[count++] = m[k + 1];
                        }
                    }
                    int to = -1;
                    if (count > 0) {
                        int[] set = kept(closure(Arrays.copyOf(targets, count), mark, stamp), accept);
                        Integer known = ids.get(new IntsKey(set));
                        if (known == null) {
                            if (subsets.size() >= MAX_STATES)
                                throw new IllegalArgumentException("the grammar needs more than " + MAX_STATES + " automaton states");
                            known = subsets.size();
                            ids.put(new IntsKey(set), known);
                            subsets.add(set);
                            accepting.add(contains(set, accept));
                        }
                        to = known;
                    }
                    int at = d * classes + c;
                    if (at >= next.length) next = Arrays.copyOf(next, next.length * 2);
                    next[at] = to;
                }
            }
            boolean[] acc = new boolean[accepting.size()];
            for (int i = 0; i < acc.length; i++) acc[i] = accepting.get(i);
            return new ByteDfa(classOf, classes, Arrays.copyOf(next, acc.length * classes), acc);
        }

        /** The states reachable from {@code from} by epsilon moves, sorted. */
        private int[] closure(int[] from, int[] mark, int[] stamp) {
            int s0 = ++stamp[0];
            int[] stack = new int[Math.max(16, from.length)];
            int top = 0;
            int[] out = new int[16];
            int n = 0;
            for (int s : from) {
                if (mark[s] == s0) continue;
                mark[s] = s0;
                if (top == stack.length) stack = Arrays.copyOf(stack, top * 2);
                stack[top++] = s;
            }
            while (top > 0) {
                int s = stack[--top];
                if (n == out.length) out = Arrays.copyOf(out, n * 2);
                out[n++] = s;
                for (int t : eps.get(s)) {
                    if (mark[t] == s0) continue;
                    mark[t] = s0;
                    if (top == stack.length) stack = Arrays.copyOf(stack, top * 2);
                    stack[top++] = t;
                }
            }
            int[] set = Arrays.copyOf(out, n);
            Arrays.sort(set);
            return set;
        }

        /**
         * The states of a closure that matter: those with a byte move, and the end. Two closures that differ
         * only in epsilon-only states behave the same, and are one DFA state this way.
         */
        private int[] kept(int[] closure, int accept) {
            int n = 0;
            int[] out = new int[closure.length];
            for (int s : closure) if (s == accept || moves.get(s).length > 0) out[n++] = s;
            return Arrays.copyOf(out, n);
        }

        private static boolean contains(int[] sorted, int s) {
            return Arrays.binarySearch(sorted, s) >= 0;
        }
    }
}

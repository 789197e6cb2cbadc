package dev.nightshift.pipeline.constrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.llm.model.ModelException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes each token of a model's {@code tokenizer.json} writes, as a trie: what a constraint walks to
 * find, in one pass, every token its automaton allows from a state (a token whose first bytes are refused
 * is never looked at past them). Gemma's pieces write {@code ▁} as a space, and its byte-fallback pieces
 * {@code <0xE2>} one byte each; added tokens (turn markers, padding, end of text) write nothing a
 * constraint could allow and are left out.
 *
 * <pre>
 * node i: its children childStart[i] .. childStart[i] + childCount[i] - 1, its byte label[i],
 *         the tokens spelled by the path to it: tokenHead[i], then tokenNext[token] ...
 * </pre>
 */
public final class TokenVocabulary {
    private static final Map<Path, TokenVocabulary> LOADED = new ConcurrentHashMap<>();

    /** One past the highest token id. */
    final int size;
    // While building: children as linked lists.
    private int[] firstChild = new int[1 << 16];
    private int[] nextSibling = new int[1 << 16];
    private byte[] building = new byte[1 << 16];
    private int[] heads = new int[1 << 16];
    /**
     * The trie as walked: nodes numbered breadth first, so a node's children are consecutive
     * ({@code childStart[n]} .. {@code childStart[n] + childCount[n] - 1}) and a walk reads them in order.
     */
    final int[] childStart;
    final int[] childCount;
    final byte[] label;
    final int[] tokenHead;
    final int[] tokenNext;
    /** The most bytes one token writes: how far a mask looks ahead of its state. */
    final int longest;
    /** The token that writes exactly byte b, or -1. */
    final int[] byteToken = new int[256];
    private final byte[][] bytes;
    private int nodes = 1;

    TokenVocabulary(byte[][] bytes) {
        this.bytes = bytes;
        this.size = bytes.length;
        this.tokenNext = new int[size];
        Arrays.fill(tokenNext, -1);
        Arrays.fill(byteToken, -1);
        Arrays.fill(firstChild, -1);
        Arrays.fill(nextSibling, -1);
        Arrays.fill(heads, -1);
        int longest = 0;
        for (int id = 0; id < size; id++) {
            byte[] b = bytes[id];
            if (b == null || b.length == 0) continue;
            if (b.length == 1 && byteToken[b[0] & 0xff] < 0) byteToken[b[0] & 0xff] = id;
            longest = Math.max(longest, b.length);
            int node = 0;
            for (byte x : b) node = child(node, x);
            tokenNext[id] = heads[node];
            heads[node] = id;
        }
        this.longest = longest;
        // Breadth-first renumbering: old node -> new number, children kept together.
        int n = nodes;
        childStart = new int[n];
        childCount = new int[n];
        label = new byte[n];
        tokenHead = new int[n];
        int[] order = new int[n];
        int head = 0, tail = 0;
        order[tail++] = 0;
        while (head < tail) {
            int old = order[head];
            int at = head++;
            label[at] = building[old];
            tokenHead[at] = heads[old];
            childStart[at] = tail;
            for (int c = firstChild[old]; c >= 0; c = nextSibling[c]) order[tail++] = c;
            childCount[at] = tail - childStart[at];
        }
        firstChild = null;
        nextSibling = null;
        building = null;
        heads = null;
    }

    /** The vocabulary of a {@code tokenizer.json}, read once per file. */
    public static TokenVocabulary of(Path tokenizerJson) {
        return LOADED.computeIfAbsent(tokenizerJson.toAbsolutePath().normalize(), TokenVocabulary::read);
    }

    private static TokenVocabulary read(Path file) {
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            JsonNode vocab = root.path("model").path("vocab");
            if (!vocab.isObject()) throw new ModelException(file + " has no model.vocab map: not a BPE tokenizer this constraint can read");
            Set<Integer> added = new HashSet<>();
            for (JsonNode t : root.path("added_tokens")) added.add(t.path("id").asInt());
            int size = 0;
            for (JsonNode id : vocab) size = Math.max(size, id.asInt() + 1);
            for (int id : added) size = Math.max(size, id + 1);
            byte[][] bytes = new byte[size][];
            for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                int id = e.getValue().asInt();
                if (!added.contains(id)) bytes[id] = bytesOf(e.getKey());
            }
            return new TokenVocabulary(bytes);
        } catch (IOException e) {
            throw new ModelException("cannot read the tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    /** What a piece writes: {@code <0xNN>} one byte, otherwise its text with {@code ▁} as a space. */
    static byte[] bytesOf(String piece) {
        if (piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) {
            try {
                return new byte[]{(byte) Integer.parseInt(piece.substring(3, 5), 16)};
            } catch (NumberFormatException e) {
                // a piece that only looks like a byte
            }
        }
        return piece.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
    }

    /** One past the highest token id. */
    public int size() {
        return size;
    }

    /** The bytes token {@code id} writes, or null for a token no constraint allows. */
    public byte[] bytes(int id) {
        return id >= 0 && id < size ? bytes[id] : null;
    }

    /** The child of trie node {@code node} by byte {@code b}, or -1. */
    int childOf(int node, int b) {
        for (int c = childStart[node], last = c + childCount[node]; c < last; c++) if ((label[c] & 0xff) == b) return c;
        return -1;
    }

    private int child(int node, byte x) {
        for (int c = firstChild[node]; c >= 0; c = nextSibling[c]) if (building[c] == x) return c;
        if (nodes == building.length) grow();
        int c = nodes++;
        building[c] = x;
        nextSibling[c] = firstChild[node];
        firstChild[node] = c;
        return c;
    }

    private void grow() {
        int n = building.length * 2;
        firstChild = Arrays.copyOf(firstChild, n);
        nextSibling = Arrays.copyOf(nextSibling, n);
        building = Arrays.copyOf(building, n);
        heads = Arrays.copyOf(heads, n);
        Arrays.fill(firstChild, n / 2, n, -1);
        Arrays.fill(nextSibling, n / 2, n, -1);
        Arrays.fill(heads, n / 2, n, -1);
    }
}

package dev.nightshift.pipeline.summarize;

import dev.nightshift.pipeline.task.ChunkingSpec;
import dev.nightshift.pipeline.task.DocumentTask;
import dev.nightshift.pipeline.task.TaskOutput;
import dev.nightshift.pipeline.task.TaskProfile;
import dev.nightshift.pipeline.chunk.HeuristicTokenCounter;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.core.Task;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Extractive summaries without a model: TextRank (Mihalcea and Tarau, 2004) over sentences. Sentences
 * are nodes, edges are the cosine similarity of their TF-IDF vectors, PageRank scores the nodes, and
 * the best sentences up to the word budget are returned in document order. The budget holds in
 * characters too ({@link #CHARS_PER_WORD} a word): text without sentence ends or spaces (a log, a
 * table dumped on one line) would otherwise give a "sentence" of a million characters.
 *
 * <p>Graph ranking is quadratic in the number of sentences, so a long document is summarized as a
 * tree: each chunk first (level 0), then groups of those picks of at most {@link #MAX_SENTENCES_FLAT}
 * sentences, level by level, until one group is left. Every node keeps its lineage like a model-made
 * summary would. So the work grows with the text's length, not with its square: the picks of a 6.7 MB
 * changelog were once ranked as one graph of some 19,000 sentences (minutes and gigabytes).
 */
public final class TextRankSummarizer implements DocumentTask {
    /** v2: summaries bounded in characters as well as words; v3: long texts reduced level by level. */
    public static final String VERSION = "textrank-v3";
    /** Characters a word of the budget may take: generous for long words, tight for runs without spaces. */
    static final int CHARS_PER_WORD = 10;
    /** Above this many sentences a document is summarized chunk by chunk first. */
    static final int MAX_SENTENCES_FLAT = 400;
    private static final double DAMPING = 0.85;
    private static final int MAX_ITERATIONS = 100;
    private static final double TOLERANCE = 1e-6;

    private final int words;
    private final SummaryStyle style;

    public TextRankSummarizer(int words) {
        this(words, SummaryStyle.PARAGRAPH);
    }

    /** With {@link SummaryStyle#BULLETS}, each chosen sentence is a line starting with "- ". */
    public TextRankSummarizer(int words, SummaryStyle style) {
        if (words < 5) throw new IllegalArgumentException("a summary needs at least 5 words, asked for " + words);
        this.words = words;
        this.style = style;
    }

    /** The task key's inputs: algorithm or model, prompt, parameters. */
    public Task task() {
        Map<String, String> parameters = new java.util.TreeMap<>(Map.of("algorithm", VERSION, "words", Integer.toString(words)));
        if (style != SummaryStyle.PARAGRAPH) parameters.put("style", style.cliName()); // paragraphs keep their old key
        return new Task("summary", "extractive", null, null, null, null, null, parameters);
    }

    /** Chunks bound the cost of ranking; sentences never span chunks, so their size barely matters. */
    public ChunkingSpec chunking() {
        return new ChunkingSpec(HeuristicTokenCounter.INSTANCE, 2048);
    }

    /** Ranking is cheap and single-threaded: one document per core. */
    @Override
    public TaskProfile profile() {
        // CPU-bound and stateless: one document per core.
        return new TaskProfile(task(), chunking(), Runtime.getRuntime().availableProcessors());
    }

    @Override
    public TaskOutput process(List<Chunk> chunks, Locale language) {
        return TaskOutput.of(draft(chunks, language));
    }

    private List<OutputDraft> draft(List<Chunk> chunks, Locale language) {
        if (chunks.isEmpty()) throw new IllegalArgumentException("nothing to summarize");
        long started = System.nanoTime();
        List<List<String>> perChunk = chunks.stream().map(c -> sentences(c.text(), language)).toList();
        int total = perChunk.stream().mapToInt(List::size).sum();

        List<OutputDraft> nodes = new ArrayList<>();
        if (total <= MAX_SENTENCES_FLAT || chunks.size() == 1) {
            List<String> all = perChunk.stream().flatMap(List::stream).toList();
            List<InputRef> inputs = chunks.stream().map(c -> InputRef.chunk(c.seq())).toList();
            nodes.add(new OutputDraft(0, true, pick(all), inputs, OutputOrigin.EXTRACTIVE, 0, 0, elapsedMs(started)));
            return nodes;
        }
        // Map: a summary per chunk, twice the final budget so the reduce steps have a choice.
        List<List<String>> level = new ArrayList<>();
        List<Integer> levelNodes = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            long t = System.nanoTime();
            List<String> chosen = rank(perChunk.get(i), words * 2);
            level.add(chosen);
            levelNodes.add(nodes.size());
            nodes.add(new OutputDraft(0, false, String.join(" ", chosen), List.of(InputRef.chunk(chunks.get(i).seq())),
                    OutputOrigin.EXTRACTIVE, 0, 0, elapsedMs(t)));
        }
        // Reduce: groups of picks of at most MAX_SENTENCES_FLAT sentences (two nodes at least, so each level
        // shrinks), ranked level by level until all that is left fits one graph.
        for (int depth = 1; level.stream().mapToInt(List::size).sum() > MAX_SENTENCES_FLAT && level.size() > 1; depth++) {
            List<List<String>> next = new ArrayList<>();
            List<Integer> nextNodes = new ArrayList<>();
            for (int from = 0; from < level.size(); ) {
                int to = from + 1;
                int size = level.get(from).size();
                while (to < level.size() && (to - from < 2 || size + level.get(to).size() <= MAX_SENTENCES_FLAT)) size += level.get(to++).size();
                long t = System.nanoTime();
                List<String> group = level.subList(from, to).stream().flatMap(List::stream).toList();
                List<String> chosen = rank(group, words * 2);
                next.add(chosen);
                nextNodes.add(nodes.size());
                nodes.add(new OutputDraft(depth, false, String.join(" ", chosen),
                        levelNodes.subList(from, to).stream().map(InputRef::output).toList(), OutputOrigin.EXTRACTIVE, 0, 0, elapsedMs(t)));
                from = to;
            }
            level = next;
            levelNodes = nextNodes;
        }
        int top = nodes.get(levelNodes.get(0)).level() + 1;
        List<String> picked = level.stream().flatMap(List::stream).toList();
        nodes.add(new OutputDraft(top, true, pick(picked), levelNodes.stream().map(InputRef::output).toList(),
                OutputOrigin.EXTRACTIVE, 0, 0, elapsedMs(started)));
        return nodes;
    }

    private String pick(List<String> sentences) {
        List<String> chosen = rank(sentences, words);
        if (style == SummaryStyle.BULLETS) return chosen.stream().map(x -> "- " + x).collect(Collectors.joining("\n"));
        return String.join(" ", chosen);
    }

    /** The highest-ranked sentences whose words fit the budget, in their original order. */
    List<String> rank(List<String> sentences, int budget) {
        if (sentences.isEmpty()) return List.of();
        double[] scores = scores(sentences);
        Integer[] order = IntStream.range(0, sentences.size()).boxed().toArray(Integer[]::new);
        // Best score first; ties go to the earlier sentence, so results are deterministic.
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
        List<Integer> chosen = new ArrayList<>();
        int used = 0;
        for (int i : order) {
            int n = cost(sentences.get(i));
            if (used + n > budget && !chosen.isEmpty()) continue;
            chosen.add(i);
            used += n;
            if (used >= budget) break;
        }
        chosen.sort(Comparator.naturalOrder());
        List<String> result = new ArrayList<>();
        for (int i : chosen) result.add(sentences.get(i));
        if (result.size() == 1 && cost(result.get(0)) > budget) {
            result.set(0, cut(result.get(0), budget));
        }
        return result;
    }

    /** PageRank over the TF-IDF cosine graph. */
    static double[] scores(List<String> sentences) {
        int n = sentences.size();
        List<Map<String, Integer>> termCounts = sentences.stream().map(TextRankSummarizer::terms).toList();
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (Map<String, Integer> tc : termCounts) {
            for (String term : tc.keySet()) documentFrequency.merge(term, 1, Integer::sum);
        }
        List<Map<String, Double>> vectors = new ArrayList<>(n);
        for (Map<String, Integer> tc : termCounts) {
            Map<String, Double> v = new HashMap<>();
            double norm = 0;
            for (Map.Entry<String, Integer> e : tc.entrySet()) {
                double idf = Math.log((double) (n + 1) / (documentFrequency.get(e.getKey()) + 1)) + 1;
                double w = e.getValue() * idf;
                v.put(e.getKey(), w);
                norm += w * w;
            }
            double inv = norm == 0 ? 0 : 1 / Math.sqrt(norm);
            v.replaceAll((k, w) -> w * inv);
            vectors.add(v);
        }
        double[][] weight = new double[n][n];
        double[] outSum = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double sim = dot(vectors.get(i), vectors.get(j));
                weight[i][j] = sim;
                weight[j][i] = sim;
                outSum[i] += sim;
                outSum[j] += sim;
            }
        }
        double[] score = new double[n];
        Arrays.fill(score, 1.0 / n);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] next = new double[n];
            double delta = 0;
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    if (weight[j][i] > 0) sum += weight[j][i] / outSum[j] * score[j];
                }
                next[i] = (1 - DAMPING) / n + DAMPING * sum;
                delta += Math.abs(next[i] - score[i]);
            }
            score = next;
            if (delta < TOLERANCE) break;
        }
        return score;
    }

    private static double dot(Map<String, Double> a, Map<String, Double> b) {
        Map<String, Double> small = a.size() <= b.size() ? a : b;
        Map<String, Double> large = small == a ? b : a;
        double sum = 0;
        for (Map.Entry<String, Double> e : small.entrySet()) {
            Double w = large.get(e.getKey());
            if (w != null) sum += e.getValue() * w;
        }
        return sum;
    }

    /** Lower-cased words of letters or digits; single letters carry no topic and are dropped. */
    static Map<String, Integer> terms(String sentence) {
        Map<String, Integer> counts = new HashMap<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i <= sentence.length(); i++) {
            char c = i < sentence.length() ? sentence.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c)) {
                word.append(Character.toLowerCase(c));
            } else {
                if (word.length() > 1) counts.merge(word.toString(), 1, Integer::sum);
                word.setLength(0);
            }
        }
        return counts;
    }

    /** Sentences of a text, with line breaks inside a sentence folded to spaces (PDF text is hard-wrapped). */
    static List<String> sentences(String text, Locale language) {
        // A mail's From/To/Date/Subject lines are a record, not sentences to pick (the body repeats the subject).
        String flat = text.substring(dev.nightshift.pipeline.core.MailHeader.length(text)).replaceAll("\\s+", " ").strip();
        BreakIterator it = BreakIterator.getSentenceInstance(language);
        it.setText(flat);
        List<String> result = new ArrayList<>();
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String s = flat.substring(start, end).strip();
            if (!s.isEmpty() && s.chars().anyMatch(Character::isLetterOrDigit)) result.add(s);
        }
        return result;
    }

    static int wordCount(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    /** A sentence's share of the budget: its words, or its length in characters over {@link #CHARS_PER_WORD}. */
    static int cost(String sentence) {
        return Math.max(wordCount(sentence), (sentence.length() + CHARS_PER_WORD - 1) / CHARS_PER_WORD);
    }

    /** The start of a sentence within a budget of words, cut at a word boundary where there is one, then "…". */
    static String cut(String s, int budget) {
        String words = Arrays.stream(s.strip().split("\\s+")).limit(budget).collect(Collectors.joining(" "));
        int maxChars = budget * CHARS_PER_WORD;
        if (words.length() > maxChars) {
            int space = words.lastIndexOf(' ', maxChars);
            words = space > maxChars / 2 ? words.substring(0, space) : words.substring(0, maxChars);
        }
        return words + " …";
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}

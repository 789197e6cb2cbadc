package dev.nightshift.pipeline.summarize;

import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.Task;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.SamplingParams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Summaries by a Gemma model, as a map-reduce tree: each chunk is summarized (level 0, several chunks
 * per batch to keep the cores busy), then groups of summaries that fit the context are combined, level
 * by level, until one summary is left. Every node records what it was made from.
 */
public final class ModelSummarizer implements Summarizer {
    private static final PromptTemplate CHUNK = PromptTemplate.load("summarize-chunk", "1");
    private static final PromptTemplate COMBINE = PromptTemplate.load("summarize-combine", "1");

    private final GemmaEngine engine;
    private final int words;
    private final int maxNewTokens;
    private final int contextBudget;
    private final int batchSize;
    private final SamplingParams sampling;
    private final String modelLabel;
    private final String modelDigest;

    /**
     * @param contextBudget most tokens one call may use (prompt + chunk + summary); at most the model's context
     * @param batchSize     chunks summarized together in one batch
     */
    public ModelSummarizer(GemmaEngine engine, int words, int contextBudget, int batchSize, SamplingParams sampling) {
        this.engine = engine;
        this.words = words;
        // Gemma's tokenizer spends about 1.3 tokens a word in English, more in other languages; room for 2.
        this.maxNewTokens = Math.max(16, words * 2);
        this.contextBudget = Math.min(contextBudget, engine.config().contextLength());
        this.batchSize = Math.max(1, batchSize);
        this.sampling = sampling;
        this.modelLabel = engine.folder().folder().toAbsolutePath() + " (" + engine.folder().dtype().cliName() + ")";
        this.modelDigest = engine.folder().identity();
        // Combining needs room for at least two summaries of maxNewTokens each, or the tree cannot shrink.
        if (chunkTokens() < Math.max(64, 2 * maxNewTokens)) {
            throw new IllegalArgumentException("a context budget of " + this.contextBudget + " tokens leaves too little room for "
                    + words + "-word summaries; raise the budget or ask for fewer words");
        }
    }

    @Override
    public Task task() {
        Map<String, String> parameters = new LinkedHashMap<>(sampling.asParameters());
        parameters.put("words", Integer.toString(words));
        parameters.put("max_new_tokens", Integer.toString(maxNewTokens));
        parameters.put("context_budget", Integer.toString(contextBudget));
        return new Task("summary", "model", modelLabel, modelDigest, CHUNK.name() + "+" + COMBINE.name(),
                CHUNK.version() + "+" + COMBINE.version(), Hashing.sha256(CHUNK.text() + "\n---\n" + COMBINE.text()), parameters);
    }

    /** Room for the chunk: the budget less the prompt's own tokens and the summary's. */
    int chunkTokens() {
        int overhead = engine.chatPrompt(CHUNK.render(Map.of("words", "000", "language", "English"), "")).length;
        return contextBudget - overhead - maxNewTokens;
    }

    @Override
    public ChunkingSpec chunking() {
        return new ChunkingSpec(engine.tokenizer(), chunkTokens());
    }

    @Override
    public List<OutputDraft> summarize(List<Chunk> chunks, Locale language) {
        if (chunks.isEmpty()) throw new IllegalArgumentException("nothing to summarize");
        String lang = language == Locale.ROOT || language.getLanguage().isEmpty()
                ? "the language of the text" : language.getDisplayLanguage(Locale.ENGLISH);
        Map<String, String> values = Map.of("words", Integer.toString(words), "language", lang);
        List<OutputDraft> nodes = new ArrayList<>();

        // Map: one summary per chunk.
        List<long[]> prompts = new ArrayList<>();
        for (Chunk c : chunks) prompts.add(engine.chatPrompt(CHUNK.render(values, c.text())));
        List<GenerationResult> results = generate(prompts);
        List<Integer> level = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            nodes.add(draft(0, chunks.size() == 1, results.get(i), List.of(InputRef.chunk(chunks.get(i).seq()))));
            level.add(i);
        }

        // Reduce: combine consecutive summaries in groups that fit, until one is left.
        for (int depth = 1; level.size() > 1; depth++) {
            List<List<Integer>> groups = group(nodes, level, values);
            List<long[]> combinePrompts = new ArrayList<>();
            for (List<Integer> g : groups) combinePrompts.add(engine.chatPrompt(COMBINE.render(values, joined(nodes, g))));
            List<GenerationResult> combined = generate(combinePrompts);
            List<Integer> next = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                List<InputRef> inputs = groups.get(i).stream().map(InputRef::output).toList();
                nodes.add(draft(depth, groups.size() == 1, combined.get(i), inputs));
                next.add(nodes.size() - 1);
            }
            level = next;
        }
        return nodes;
    }

    /** Consecutive runs of summaries whose combined prompt fits the budget; at least two per group so the tree shrinks. */
    private List<List<Integer>> group(List<OutputDraft> nodes, List<Integer> level, Map<String, String> values) {
        List<List<Integer>> groups = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int index : level) {
            current.add(index);
            if (current.size() > 2 && !fits(nodes, values, current)) {
                current.remove(current.size() - 1);
                groups.add(current);
                current = new ArrayList<>(List.of(index));
            }
        }
        if (!current.isEmpty()) groups.add(current);
        return groups;
    }

    private boolean fits(List<OutputDraft> nodes, Map<String, String> values, List<Integer> group) {
        return engine.chatPrompt(COMBINE.render(values, joined(nodes, group))).length + maxNewTokens <= contextBudget;
    }

    private static String joined(List<OutputDraft> nodes, List<Integer> group) {
        StringBuilder s = new StringBuilder();
        for (int i : group) {
            if (s.length() > 0) s.append("\n\n");
            s.append(nodes.get(i).text().strip());
        }
        return s.toString();
    }

    private List<GenerationResult> generate(List<long[]> prompts) {
        List<GenerationResult> results = new ArrayList<>();
        for (int start = 0; start < prompts.size(); start += batchSize) {
            List<GenerationRequest> batch = new ArrayList<>();
            for (long[] p : prompts.subList(start, Math.min(prompts.size(), start + batchSize))) {
                batch.add(new GenerationRequest(p, maxNewTokens, sampling, true));
            }
            results.addAll(engine.generate(batch));
        }
        return results;
    }

    private static OutputDraft draft(int level, boolean isFinal, GenerationResult r, List<InputRef> inputs) {
        return new OutputDraft(level, isFinal, r.text().strip(), inputs, r.finishReason().dbValue(), r.promptTokens(),
                r.generatedTokens(), (r.prefillNanos() + r.decodeNanos()) / 1_000_000);
    }
}

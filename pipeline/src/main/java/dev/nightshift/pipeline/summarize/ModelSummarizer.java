package dev.nightshift.pipeline.summarize;

import dev.nightshift.pipeline.task.ChunkingSpec;
import dev.nightshift.pipeline.task.PromptFrame;
import dev.nightshift.pipeline.task.PromptTemplate;
import dev.nightshift.pipeline.task.ResultCache;
import dev.nightshift.pipeline.task.DocumentTask;
import dev.nightshift.pipeline.task.TaskOutput;
import dev.nightshift.pipeline.task.TaskProfile;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.InputHash;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.core.Task;
import dev.nightshift.pipeline.llm.model.ChatTemplate;
import dev.nightshift.pipeline.llm.BatchingGenerator;
import dev.nightshift.pipeline.llm.DirectGenerator;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.Generator;
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
public final class ModelSummarizer implements DocumentTask {
    private static final PromptTemplate CHUNK = PromptTemplate.load("summarize-chunk", "2");
    private static final PromptTemplate COMBINE = PromptTemplate.load("summarize-combine", "2");

    private final GemmaEngine engine;
    private final int words;
    private final int maxNewTokens;
    private final int contextBudget;
    private final Generator generator;
    private final SamplingParams sampling;
    private final String taskKey;
    private final String modelLabel;
    private final String modelDigest;
    private final ResultCache cache;
    private final SummaryStyle style;
    private final Locale outputLanguage;
    private final int overlapTokens;
    /** Room for a chunk: the budget less the prompt's own tokens and the summary's. */
    private final int chunkTokens;

    /**
     * @param contextBudget most tokens one call may use (prompt + chunk + summary); at most the model's context
     * @param batchSize     chunks summarized together in one batch
     */
    public ModelSummarizer(GemmaEngine engine, int words, int contextBudget, int batchSize, SamplingParams sampling) {
        this(engine, words, SummaryStyle.PARAGRAPH, null, contextBudget, batchSize, sampling, ResultCache.NONE);
    }

    /**
     * @param style    paragraph or bullet points
     * @param language the summary's language (a BCP 47 tag such as {@code de}), or null for each document's own
     * @param cache    earlier generations to reuse for identical input (see {@link ResultCache})
     */
    public ModelSummarizer(GemmaEngine engine, int words, SummaryStyle style, Locale language, int contextBudget,
                           int batchSize, SamplingParams sampling, ResultCache cache) {
        this(engine, words, style, language, contextBudget, new DirectGenerator(engine, batchSize), sampling, cache, 0);
    }

    /**
     * As above, generating through {@code generator}: a {@link BatchingGenerator} shared by the run batches
     * this summarizer's requests with those of every other document in flight.
     */
    public ModelSummarizer(GemmaEngine engine, int words, SummaryStyle style, Locale language, int contextBudget,
                           Generator generator, SamplingParams sampling, ResultCache cache) {
        this(engine, words, style, language, contextBudget, generator, sampling, cache, 0);
    }

    private ModelSummarizer(GemmaEngine engine, int words, SummaryStyle style, Locale language, int contextBudget,
                            Generator generator, SamplingParams sampling, ResultCache cache, int overlapTokens) {
        if (overlapTokens < 0) throw new IllegalArgumentException("overlap cannot be negative");
        this.engine = engine;
        this.overlapTokens = overlapTokens;
        this.cache = cache;
        this.style = style;
        this.outputLanguage = language;
        this.words = words;
        // Gemma's tokenizer spends about 1.3 tokens a word in English, more in other languages; room for 2.
        this.maxNewTokens = Math.max(16, words * 2);
        this.contextBudget = Math.min(contextBudget, engine.config().contextLength());
        this.generator = generator;
        this.sampling = sampling;
        this.modelLabel = engine.label();
        this.modelDigest = engine.folder().identity();
        // Fixed for this summarizer's lifetime; measuring it renders and tokenizes the template, so once.
        this.chunkTokens = this.contextBudget - frame(CHUNK, values(words, "English")).overhead() - maxNewTokens;
        // Combining needs room for at least two summaries of maxNewTokens each, or the tree cannot shrink.
        if (chunkTokens < 64 || combineNeeds() > this.contextBudget) {
            throw new IllegalArgumentException("a context budget of " + this.contextBudget + " tokens leaves too little room for "
                    + words + "-word summaries; raise the budget or ask for fewer words");
        }
        // Fixed for this object's lifetime (it reads the model files' sizes and times): once, not per document.
        this.taskKey = task().key();
    }

    /** The task key's inputs: algorithm or model, prompt, parameters. */
    public Task task() {
        Map<String, String> parameters = new LinkedHashMap<>(sampling.asParameters());
        parameters.put("words", Integer.toString(words));
        parameters.put("style", style.cliName());
        parameters.put("language", outputLanguage == null ? "document" : outputLanguage.toLanguageTag());
        parameters.put("max_new_tokens", Integer.toString(maxNewTokens));
        parameters.put("context_budget", Integer.toString(contextBudget));
        if (overlapTokens > 0) parameters.put("overlap", Integer.toString(overlapTokens));
        return new Task("summary", "model", modelLabel, modelDigest, CHUNK.name() + "+" + COMBINE.name(),
                CHUNK.version() + "+" + COMBINE.version(), Hashing.sha256(CHUNK.text() + "\n---\n" + COMBINE.text()), parameters);
    }

    private PromptFrame frame(PromptTemplate template, Map<String, String> values) {
        String rendered = engine.template().render(
                List.of(new ChatTemplate.Message("user", template.render(values, PromptFrame.MARKER))), true);
        return PromptFrame.around(rendered, engine.tokenizer(), "prompt " + template.name());
    }

    private Map<String, String> values(int words, String language) {
        return Map.of("words", Integer.toString(words), "language", language, "style", style.instruction());
    }

    /** Tokens a combine call needs for two summaries of full length: the least the tree needs to shrink. */
    private int combineNeeds() {
        return frame(COMBINE, values(words, "English")).overhead() + 2 * maxNewTokens + separator().length + maxNewTokens;
    }

    private long[] separator() {
        return engine.tokenizer().encode("\n\n");
    }

    public ChunkingSpec chunking() {
        return new ChunkingSpec(engine.tokenizer(), chunkTokens, Math.min(overlapTokens, chunkTokens / 2));
    }

    /** Repeat this many tokens of each chunk's predecessor, for context across chunk boundaries. */
    public ModelSummarizer withOverlap(int tokens) {
        return new ModelSummarizer(engine, words, style, outputLanguage, contextBudget, generator, sampling, cache, tokens);
    }

    @Override
    public TaskOutput process(List<Chunk> chunks, Locale language) {
        return TaskOutput.of(draft(chunks, language));
    }

    private List<OutputDraft> draft(List<Chunk> chunks, Locale language) {
        if (chunks.isEmpty()) throw new IllegalArgumentException("nothing to summarize");
        Locale target = outputLanguage != null ? outputLanguage : language;
        String lang = target == Locale.ROOT || target.getLanguage().isEmpty()
                ? "the language of the text" : target.getDisplayLanguage(Locale.ENGLISH);
        PromptFrame chunkFrame = frame(CHUNK, values(words, lang));
        PromptFrame combineFrame = frame(COMBINE, values(words, lang));
        long[] separator = separator();
        int combineRoom = contextBudget - combineFrame.overhead() - maxNewTokens;
        List<OutputDraft> nodes = new ArrayList<>();
        List<long[]> nodeTokens = new ArrayList<>(); // each node's text as the ids the model generated

        // Map: one summary per chunk; a chunk summarized before under this task is taken from the cache.
        List<String> cached = new ArrayList<>();
        List<long[]> prompts = new ArrayList<>();
        for (Chunk c : chunks) {
            // A cached text comes back as text, and encoding it again may give more tokens than were
            // generated; it is used only if it still fits a combine call on its own (which then shrinks it).
            String hit = cache.lookup(taskKey, InputHash.ofChunks(List.of(c.text())))
                    .filter(text -> engine.tokenizer().count(text) <= combineRoom).orElse(null);
            cached.add(hit);
            if (hit == null) prompts.add(chunkFrame.wrap(List.of(engine.tokenizer().encode(c.text())), separator));
        }
        List<GenerationResult> results = generate(prompts);
        List<Integer> level = new ArrayList<>();
        int generatedIndex = 0;
        for (int i = 0; i < chunks.size(); i++) {
            List<InputRef> inputs = List.of(InputRef.chunk(chunks.get(i).seq()));
            boolean isFinal = chunks.size() == 1;
            if (cached.get(i) != null) {
                nodes.add(new OutputDraft(0, isFinal, cached.get(i), inputs, OutputOrigin.CACHED, 0, 0, 0));
                nodeTokens.add(engine.tokenizer().encode(cached.get(i)));
            } else {
                GenerationResult r = results.get(generatedIndex++);
                nodes.add(draft(0, isFinal, r, inputs));
                nodeTokens.add(content(r));
            }
            level.add(i);
        }

        // Reduce: combine consecutive summaries in groups that fit, until one is left. Two generated
        // summaries always fit (checked in the constructor), so every level of generated nodes at least
        // halves; a cached one that no longer pairs is combined alone, which turns it into a generated one.
        for (int depth = 1; level.size() > 1; depth++) {
            List<List<Integer>> groups = group(nodeTokens, level, combineFrame, separator);
            List<long[]> combinePrompts = new ArrayList<>();
            for (List<Integer> g : groups) {
                combinePrompts.add(combineFrame.wrap(g.stream().map(nodeTokens::get).toList(), separator));
            }
            List<GenerationResult> combined = generate(combinePrompts);
            List<Integer> next = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                List<InputRef> inputs = groups.get(i).stream().map(InputRef::output).toList();
                nodes.add(draft(depth, groups.size() == 1, combined.get(i), inputs));
                nodeTokens.add(content(combined.get(i)));
                next.add(nodes.size() - 1);
            }
            level = next;
        }
        return nodes;
    }

    /** Consecutive runs of summaries whose combined prompt, plus the new summary, fits the budget. */
    private List<List<Integer>> group(List<long[]> nodeTokens, List<Integer> level, PromptFrame frame, long[] separator) {
        List<List<Integer>> groups = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int tokens = frame.overhead();
        for (int index : level) {
            int add = nodeTokens.get(index).length + (current.isEmpty() ? 0 : separator.length);
            if (!current.isEmpty() && tokens + add + maxNewTokens > contextBudget) {
                groups.add(current);
                current = new ArrayList<>();
                tokens = frame.overhead();
                add = nodeTokens.get(index).length;
            }
            current.add(index);
            tokens += add;
        }
        groups.add(current);
        return groups;
    }

    /** The generated ids without the end-of-sequence id that closed them. */
    private long[] content(GenerationResult r) {
        int[] ids = r.tokenIds();
        int n = ids.length;
        while (n > 0 && engine.config().eosIds().contains(ids[n - 1])) n--;
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = ids[i];
        return out;
    }

    /** All of one step's prompts at once: the generator decides what runs together. */
    private List<GenerationResult> generate(List<long[]> prompts) {
        if (prompts.isEmpty()) return List.of();
        return generator.generate(prompts.stream().map(p -> new GenerationRequest(p, maxNewTokens, sampling, true)).toList());
    }

    /**
     * With a shared generator, enough documents in flight to fill its batches (a document waits for its
     * summaries most of the time, so a thread per document costs little); otherwise one at a time.
     */
    @Override
    public TaskProfile profile() {
        return new TaskProfile(task(), chunking(), parallelism());
    }

    /** Twice the shared batch, so that a full batch's worth of documents waits while another is being prepared. */
    int parallelism() {
        return generator instanceof BatchingGenerator shared ? 2 * shared.maxBatch() : 1;
    }

    private static OutputDraft draft(int level, boolean isFinal, GenerationResult r, List<InputRef> inputs) {
        return r.draft(level, isFinal, r.text().strip(), inputs);
    }
}

package dev.nightshift.pipeline.translate;

import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.InputHash;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.core.Task;
import dev.nightshift.pipeline.llm.model.ChatTemplate;
import dev.nightshift.pipeline.llm.FinishReason;
import dev.nightshift.pipeline.llm.BatchingGenerator;
import dev.nightshift.pipeline.llm.DirectGenerator;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.Generator;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.SamplingParams;
import dev.nightshift.pipeline.task.ChunkingSpec;
import dev.nightshift.pipeline.task.DocumentTask;
import dev.nightshift.pipeline.task.TaskOutput;
import dev.nightshift.pipeline.task.TaskProfile;
import dev.nightshift.pipeline.task.PromptFrame;
import dev.nightshift.pipeline.task.PromptTemplate;
import dev.nightshift.pipeline.task.ResultCache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translations by a Gemma model that keep the document's structure: each chunk is cut into its
 * {@link TextLayout} (paragraphs, headings, list items, cells translated one at a time; blank lines,
 * markers and numbers kept), all of a document's pieces are translated in batches of similar length,
 * and the translations are put back in place. Each chunk's translation is an output made from that
 * chunk; a document of several chunks gets a final output made from them, its whole translation.
 *
 * <p>Two prompt formats: TranslateGemma's chat template builds the translation instruction itself from
 * {@code source_lang_code} and {@code target_lang_code} (recognized by those names in the template);
 * other instruction-tuned Gemma models get the versioned {@code translate} prompt.
 */
public final class ModelTranslator implements DocumentTask {
    private static final PromptTemplate PROMPT = PromptTemplate.load("translate", "1");
    /** For a segment of a file written back in its own format: its inline codes come as tags to keep. */
    private static final PromptTemplate SEGMENT_PROMPT = PromptTemplate.load("translate-segment", "1");
    private static final String TAG_RULE = "The text may hold tags such as <g1>, </g1> and <x2/>: keep each of them exactly once, around the same words.";
    private static final String STRICT_TAG_RULE = "Your answer must hold each of these tags exactly once, around the words they mark, and no other tags: ";
    private static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile("</?g\\d+>|<[xbe]\\d+/>");

    private final GemmaEngine engine;
    private final Locale target;
    private final Locale source;
    private final int contextBudget;
    private final Generator generator;
    private final SamplingParams sampling;
    private final String taskKey;
    private final ResultCache cache;
    private final boolean translateGemma;
    private final int pieceTokens;

    /**
     * @param target        the language to translate into
     * @param source        the language of every document, or null to take each document's detected language
     * @param contextBudget most tokens one call may use (prompt + piece + translation); at most the model's context
     * @param batchSize     pieces translated together in one batch
     */
    public ModelTranslator(GemmaEngine engine, Locale target, Locale source, int contextBudget, int batchSize,
                           SamplingParams sampling, ResultCache cache) {
        this(engine, target, source, contextBudget, new DirectGenerator(engine, batchSize), sampling, cache);
    }

    /** As above, generating through {@code generator} (a {@link BatchingGenerator} shared by the run). */
    public ModelTranslator(GemmaEngine engine, Locale target, Locale source, int contextBudget, Generator generator,
                           SamplingParams sampling, ResultCache cache) {
        if (target.getLanguage().isEmpty()) throw new IllegalArgumentException("no target language");
        if (source != null && source.getLanguage().equals(target.getLanguage())) {
            throw new IllegalArgumentException("the source and target languages are the same (" + target.toLanguageTag() + ")");
        }
        this.engine = engine;
        this.target = target;
        this.source = source;
        this.contextBudget = Math.min(contextBudget, engine.config().contextLength());
        this.generator = generator;
        this.sampling = sampling;
        this.cache = cache;
        this.translateGemma = engine.template().source().contains("source_lang_code");
        // A piece may take a third of what the prompt leaves, its translation the other two thirds:
        // translations run longer than their source in tokens (German about 1.3x English).
        int overhead = frame(source != null ? source : Locale.ENGLISH).overhead();
        this.pieceTokens = (this.contextBudget - overhead) / 3;
        if (pieceTokens < 32) {
            throw new IllegalArgumentException("a context budget of " + this.contextBudget
                    + " tokens leaves too little room for translation; raise it");
        }
        // Fixed for this object's lifetime (it reads the model files' sizes and times): once, not per document.
        this.taskKey = task().key();
    }

    /** True when the model's own chat template is TranslateGemma's (it names the language codes itself). */
    public boolean usesTranslateGemmaPrompt() {
        return translateGemma;
    }

    /** The task key's inputs: algorithm or model, prompt, parameters. */
    public Task task() {
        Map<String, String> parameters = new LinkedHashMap<>(sampling.asParameters());
        parameters.put("to", target.toLanguageTag());
        parameters.put("from", source == null ? "auto" : source.toLanguageTag());
        parameters.put("context_budget", Integer.toString(contextBudget));
        parameters.put("piece_tokens", Integer.toString(pieceTokens));
        String modelLabel = engine.label();
        // With TranslateGemma the instruction lives in the model's chat template, so that is the prompt recorded.
        return translateGemma
                ? new Task("translation:" + target.toLanguageTag(), "model", modelLabel, engine.folder().identity(),
                        "translategemma-chat-template", "model", Hashing.sha256(engine.template().source()), parameters)
                : new Task("translation:" + target.toLanguageTag(), "model", modelLabel, engine.folder().identity(),
                        PROMPT.name(), PROMPT.version(), PROMPT.hash(), parameters);
    }

    public ChunkingSpec chunking() {
        return new ChunkingSpec(engine.tokenizer(), pieceTokens, 0);
    }

    private boolean sameLanguage(Locale from) {
        return from.getLanguage().equals(target.getLanguage());
    }

    @Override
    public TaskOutput process(List<Chunk> chunks, Locale language) {
        Locale from = source != null ? source : language;
        List<OutputDraft> drafts = draft(chunks, from);
        // Already in the target language: passed over, its text copied so the output folder is complete.
        return new TaskOutput(drafts, sameLanguage(from) ? "already in " + name(target) + " (" + target.getLanguage() + ")" : null);
    }

    private List<OutputDraft> draft(List<Chunk> chunks, Locale from) {
        if (chunks.isEmpty()) throw new IllegalArgumentException("nothing to translate");
        List<OutputDraft> nodes = new ArrayList<>();
        if (sameLanguage(from)) {
            // Already in the target language: the text itself is the result, so the output folder is complete.
            for (Chunk c : chunks) {
                nodes.add(new OutputDraft(0, chunks.size() == 1, c.text(), List.of(InputRef.chunk(c.seq())), OutputOrigin.SAME_LANGUAGE, 0, 0, 0));
            }
            return withWhole(nodes, chunks.size());
        }
        if (translateGemma && from.getLanguage().isEmpty()) {
            throw new IllegalArgumentException("the document's language could not be detected, and TranslateGemma needs it; give --from");
        }
        PromptFrame frame = frame(from);

        // Every distinct piece of the document not found in the cache, translated once.
        List<String> cached = new ArrayList<>();
        List<TextLayout> layouts = new ArrayList<>();
        Map<String, GenerationResult> translations = new LinkedHashMap<>(); // document order, then sorted by length
        for (Chunk c : chunks) {
            String hit = cache.lookup(taskKey, InputHash.ofChunks(List.of(c.text()))).orElse(null);
            cached.add(hit);
            TextLayout layout = hit == null ? TextLayout.of(c.text()) : null;
            layouts.add(layout);
            if (layout != null) for (String piece : layout.translatable()) translations.put(piece, null);
        }
        translate(new ArrayList<>(translations.keySet()), frame, translations);

        for (int i = 0; i < chunks.size(); i++) {
            List<InputRef> inputs = List.of(InputRef.chunk(chunks.get(i).seq()));
            boolean isFinal = chunks.size() == 1;
            if (cached.get(i) != null) {
                nodes.add(new OutputDraft(0, isFinal, cached.get(i), inputs, OutputOrigin.CACHED, 0, 0, 0));
                continue;
            }
            TextLayout layout = layouts.get(i);
            List<GenerationResult> used = layout.translatable().stream().map(translations::get).toList();
            String text = layout.render(piece -> translations.get(piece).text());
            // Pieces generated for another document in flight (identical text) cost this one nothing.
            List<GenerationResult> own = used.stream().filter(r -> !r.reused()).toList();
            OutputOrigin finish = used.isEmpty() ? OutputOrigin.COPIED
                    : own.isEmpty() ? OutputOrigin.CACHED
                    : used.stream().anyMatch(r -> r.finishReason() == FinishReason.LENGTH) ? OutputOrigin.LENGTH
                    : OutputOrigin.STOP;
            nodes.add(new OutputDraft(0, isFinal, text, inputs, finish,
                    own.stream().mapToInt(GenerationResult::promptTokens).sum(),
                    own.stream().mapToInt(GenerationResult::generatedTokens).sum(),
                    own.stream().mapToLong(GenerationResult::shareNanos).sum() / 1_000_000));
        }
        return withWhole(nodes, chunks.size());
    }

    /** Adds the whole document's translation, made from the chunks' ones, when there are several. */
    private static List<OutputDraft> withWhole(List<OutputDraft> nodes, int chunks) {
        if (chunks == 1) return nodes;
        List<InputRef> parts = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) parts.add(InputRef.output(i));
        // Chunks end at paragraph boundaries (overlap is off for translations), so a blank line joins them.
        String whole = String.join("\n\n", nodes.stream().map(n -> n.text().strip()).toList());
        List<OutputDraft> all = new ArrayList<>(nodes);
        all.add(new OutputDraft(1, true, whole, parts, OutputOrigin.JOINED, 0, 0, 0));
        return all;
    }

    /**
     * Translates a document's pieces, each with room for a translation twice its length. All of them
     * go to the generator at once; it batches them by length (and with other documents' pieces when it
     * is shared). A piece longer than the chunk budget cannot occur (the chunker guarantees it), but the
     * engine checks the context of every prompt all the same.
     */
    private void translate(List<String> pieces, PromptFrame frame, Map<String, GenerationResult> into) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (String p : pieces) {
            long[] prompt = frame.wrap(engine.tokenizer().encode(p));
            int pieceLength = prompt.length - frame.overhead();
            int room = contextBudget - prompt.length;
            requests.add(new GenerationRequest(prompt, Math.max(1, Math.min(room, 2 * pieceLength + 16)), sampling, true));
        }
        List<GenerationResult> results = generator.generate(requests);
        for (int k = 0; k < pieces.size(); k++) into.put(pieces.get(k), results.get(k));
    }

    /**
     * Translates the segments of a file that is written back in its own format, all at once through the generator
     * (which batches them with everything else in flight). Inline codes come as tags; with {@code strict} the prompt
     * names the tags each answer must hold (the second try for segments that lost some). TranslateGemma's own prompt
     * takes no instructions: its segments go as they are, and the caller checks the tags. A segment too long for one
     * call comes back as it was (the caller's check flags it untranslated).
     *
     * @param terms for each segment, a sentence asking for its glossary terms, or empty (TranslateGemma cannot take it)
     * @param from  the file's language, or null when unknown
     */
    public List<String> translateSegments(List<String> segments, List<String> terms, Locale from, boolean strict) {
        Locale language = from != null ? from : source != null ? source : Locale.ROOT;
        if (translateGemma && language.getLanguage().isEmpty()) {
            throw new IllegalArgumentException("the file's language could not be detected, and TranslateGemma needs it; give --from");
        }
        List<GenerationRequest> requests = new ArrayList<>();
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            long[] prompt = engine.tokenizer().encode(segmentPrompt(language, segment, terms.get(i), strict));
            int pieceLength = engine.tokenizer().encode(segment).length;
            if (pieceLength > pieceTokens) continue;
            int room = contextBudget - prompt.length;
            if (room < 1) continue;
            requests.add(new GenerationRequest(prompt, Math.max(1, Math.min(room, 2 * pieceLength + 16)), sampling, true));
            sent.add(i);
        }
        List<String> out = new ArrayList<>(segments);
        List<GenerationResult> results = requests.isEmpty() ? List.of() : generator.generate(requests);
        for (int k = 0; k < sent.size(); k++) out.set(sent.get(k), results.get(k).text().strip());
        return out;
    }

    /** The rendered prompt for one segment with tags, asking for its terms ({@code terms}, or empty). */
    String segmentPrompt(Locale from, String segment, String terms, boolean strict) {
        if (translateGemma) return prompt(from, segment);
        String sourceText = from.getLanguage().isEmpty() ? "the following text" : "the following " + name(from) + " text";
        List<String> tags = new ArrayList<>();
        java.util.regex.Matcher m = TAG.matcher(segment);
        while (m.find()) tags.add(m.group());
        String rule = (tags.isEmpty() ? "" : strict ? STRICT_TAG_RULE + String.join(" ", tags) + ". " : TAG_RULE + " ")
                + (terms.isBlank() ? "" : terms.strip() + " ");
        ChatTemplate.Message message = new ChatTemplate.Message("user",
                SEGMENT_PROMPT.render(Map.of("source_text", sourceText, "target", name(target), "tag_rule", rule), segment));
        return engine.template().render(List.of(message), true);
    }

    /** With a shared generator, enough documents in flight to fill its batches; otherwise one at a time. */
    @Override
    public TaskProfile profile() {
        return new TaskProfile(task(), chunking(), parallelism());
    }

    /** Twice the shared batch, so that a full batch's worth of documents waits while another is being prepared. */
    int parallelism() {
        return generator instanceof BatchingGenerator shared ? 2 * shared.maxBatch() : 1;
    }

    private PromptFrame frame(Locale from) {
        return PromptFrame.around(prompt(from, PromptFrame.MARKER), engine.tokenizer(), "the translation prompt");
    }

    /** The rendered prompt for one piece of text (what the model reads, before tokenization). */
    String prompt(Locale from, String text) {
        ChatTemplate.Message message;
        if (translateGemma) {
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("type", "text");
            content.put("source_lang_code", from.getLanguage().isEmpty() ? "en" : from.toLanguageTag());
            content.put("target_lang_code", target.toLanguageTag());
            content.put("text", text);
            message = new ChatTemplate.Message("user", List.of(content));
        } else {
            String sourceText = from.getLanguage().isEmpty() ? "the following text" : "the following " + name(from) + " text";
            message = new ChatTemplate.Message("user",
                    PROMPT.render(Map.of("source_text", sourceText, "target", name(target)), text));
        }
        return engine.template().render(List.of(message), true);
    }

    private static String name(Locale l) {
        return l.getDisplayLanguage(Locale.ENGLISH);
    }
}

package dev.nightshift.pipeline.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.constrain.AutomatonConstraint;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.core.Task;
import dev.nightshift.pipeline.core.TaskKind;
import dev.nightshift.pipeline.llm.BatchingGenerator;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.Generator;
import dev.nightshift.pipeline.llm.SamplingParams;
import dev.nightshift.pipeline.llm.model.ChatTemplate;
import dev.nightshift.pipeline.task.ChunkingSpec;
import dev.nightshift.pipeline.task.DocumentTask;
import dev.nightshift.pipeline.task.PromptFrame;
import dev.nightshift.pipeline.task.PromptTemplate;
import dev.nightshift.pipeline.task.TaskOutput;
import dev.nightshift.pipeline.task.TaskProfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A schema's fields out of every document: each chunk is asked for the whole object, its output held to
 * the schema token by token ({@link SchemaConstraint}), so it always parses and validates; then the
 * chunks' objects are merged into the document's ({@link FieldValues}), every value with the place the
 * text gives it or flagged {@code not_in_source}.
 *
 * <pre>
 * chunk 0 --prompt + schema's automaton--> {"total": 12.5, ...}   (level 0, input: the chunk)
 * chunk 1 --...--------------------------> {"total": 12.5, ...}
 *                                  merge -> the document's object  (level 1, inputs: the chunks' objects)
 * </pre>
 */
public final class SchemaExtractor implements DocumentTask {
    private static final PromptTemplate PROMPT = PromptTemplate.load("extract-fields", "1");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GemmaEngine engine;
    private final ExtractionSchema schema;
    private final Generator generator;
    private final SamplingParams sampling;
    private final int maxNewTokens;
    private final int contextBudget;
    private final AutomatonConstraint constraint;
    private final PromptFrame frame;
    private final int chunkTokens;

    /**
     * @param contextBudget most tokens one call may use (prompt + chunk + object)
     * @param maxNewTokens  most tokens of one chunk's object; at least what the schema's shortest object needs
     */
    public SchemaExtractor(GemmaEngine engine, ExtractionSchema schema, int contextBudget, Generator generator,
                           SamplingParams sampling, int maxNewTokens) {
        this.engine = engine;
        this.schema = schema;
        this.generator = generator;
        this.sampling = sampling;
        this.maxNewTokens = maxNewTokens;
        this.contextBudget = Math.min(contextBudget, engine.config().contextLength());
        this.constraint = SchemaConstraint.of(schema.schema(), engine.folder().tokenizer());
        if (constraint.shortest() >= maxNewTokens)
            throw new IllegalArgumentException("the schema's shortest object takes " + constraint.shortest()
                    + " tokens, more than the " + maxNewTokens + " allowed: raise --max-tokens");
        String rendered = engine.template().render(List.of(new ChatTemplate.Message("user",
                PROMPT.render(Map.of("fields", schema.promptLines()), PromptFrame.MARKER))), true);
        this.frame = PromptFrame.around(rendered, engine.tokenizer(), "prompt " + PROMPT.name());
        this.chunkTokens = this.contextBudget - frame.overhead() - maxNewTokens;
        if (chunkTokens < 64)
            throw new IllegalArgumentException("a context budget of " + this.contextBudget + " tokens leaves " + chunkTokens
                    + " for a chunk: raise the budget or lower --max-tokens");
    }

    /** The constraint every request is held to (for its cache's figures). */
    public AutomatonConstraint constraint() {
        return constraint;
    }

    public Task task() {
        Map<String, String> parameters = new LinkedHashMap<>(sampling.asParameters());
        parameters.put("schema", schema.digest());
        parameters.put("max_new_tokens", Integer.toString(maxNewTokens));
        parameters.put("context_budget", Integer.toString(contextBudget));
        return new Task(TaskKind.EXTRACT.word() + ":" + schema.name(), "model", engine.label(), engine.folder().identity(),
                PROMPT.name(), PROMPT.version(), Hashing.sha256(PROMPT.text()), parameters);
    }

    @Override
    public TaskProfile profile() {
        int parallelism = generator instanceof BatchingGenerator shared ? 2 * shared.maxBatch() : 1;
        return new TaskProfile(task(), new ChunkingSpec(engine.tokenizer(), chunkTokens), parallelism);
    }

    @Override
    public TaskOutput process(List<Chunk> chunks, Locale language) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (Chunk c : chunks)
            requests.add(GenerationRequest.constrained(frame.wrap(engine.tokenizer().encode(c.text())), maxNewTokens, sampling, constraint));
        List<GenerationResult> results = generator.generate(requests);
        List<OutputDraft> drafts = new ArrayList<>();
        List<JsonNode> objects = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            JsonNode object = parse(results.get(i).text());
            objects.add(object);
            drafts.add(results.get(i).draft(0, chunks.size() == 1, object.toString(), List.of(InputRef.chunk(chunks.get(i).seq()))));
        }
        FieldValues.Merged merged = FieldValues.merge(schema.schema(), chunks, objects);
        if (chunks.size() > 1) {
            List<InputRef> inputs = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) inputs.add(InputRef.output(i));
            drafts.add(new OutputDraft(1, true, merged.object().toString(), inputs, OutputOrigin.JOINED, 0, 0, 0));
        }
        return new TaskOutput(drafts, null, merged.values());
    }

    /** A chunk's object: it parses and validates by construction, so a failure here is a defect, said as one. */
    private JsonNode parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            List<String> problems = schema.schema().validate(node);
            if (!problems.isEmpty()) throw new IllegalStateException("constrained output does not follow the schema: " + problems + " in " + text);
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("constrained output is not JSON: " + text, e);
        }
    }
}

package dev.nightshift.pipeline.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.pipeline.constrain.AutomatonConstraint;
import dev.nightshift.pipeline.constrain.ByteDfa;
import dev.nightshift.pipeline.constrain.TokenVocabulary;
import dev.nightshift.pipeline.llm.BatchingGenerator;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.SamplingParams;
import dev.nightshift.pipeline.llm.TestModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property of constrained decoding: random schemas of the whole subset x random prompts x the tiny
 * random models (the harshest writers of JSON there are: left alone, they write no JSON at all) give
 * output that parses and follows its schema, every time: greedy and sampled, alone and in continuous
 * batches where every row has its own schema and state, some of them with budgets barely above what
 * their schema needs. Greedy rows give in a batch the tokens they give alone.
 */
class ConstrainedJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WORDS = {"invoice", "total", "date", "name", "city", "amount", "items", "sender",
            "subject", "paid", "count", "code", "note", "tags", "due"};
    private static final String[] PROMPTS = {"Invoice 2024-117 from ACME GmbH, total 1.234,50 EUR, due 2024-03-31.",
            "Dear Ms Weber, thank you for your letter of 4 March.", "Numbers: 1 2 3 4 5 6 7 8 9", "{\"json\": [1, 2]}",
            "Grüße aus Köln — 東京 — naïve café", "", "The quick brown fox jumps over the lazy dog. ".repeat(8)};

    @ParameterizedTest
    @ValueSource(strings = {"tiny-gemma3", "tiny-gemma4", "tiny-gemma3-gqa"})
    void everyOutputParsesAndFollowsItsSchema(String model) throws Exception {
        Path folder = TestModels.path(model);
        Random random = new Random(model.hashCode());
        try (GemmaEngine engine = GemmaEngine.load(folder, null, 2);
             BatchingGenerator batches = new BatchingGenerator(engine, 6, 1L << 30)) {
            TokenVocabulary vocabulary = TokenVocabulary.of(folder.resolve("tokenizer.json"));
            List<FieldSchema.ObjectType> schemas = new ArrayList<>();
            List<GenerationRequest> requests = new ArrayList<>();
            int outputs = 0;
            for (int i = 0; i < 24; i++) {
                JsonNode schemaJson = object(random, 0);
                FieldSchema.ObjectType schema = FieldSchema.parse(schemaJson);
                AutomatonConstraint constraint = new AutomatonConstraint(ByteDfa.of(SchemaGrammar.of(schema)), vocabulary);
                // Some budgets barely fit the shortest object: the constraint must close in time.
                int budget = constraint.shortest() + 1 + (i % 4 == 0 ? random.nextInt(3) : 10 + random.nextInt(120));
                SamplingParams sampling = i % 2 == 0 ? SamplingParams.GREEDY
                        : new SamplingParams(0.7 + random.nextDouble(), random.nextInt(3) * 20, random.nextBoolean() ? 1.0 : 0.9, random.nextLong());
                long[] prompt = engine.chatPrompt(PROMPTS[random.nextInt(PROMPTS.length)] + "\nFields: " + schemaJson);
                schemas.add(schema);
                requests.add(GenerationRequest.constrained(prompt, budget, sampling, constraint));
            }
            // Alone, one request at a time.
            List<GenerationResult> alone = new ArrayList<>();
            for (GenerationRequest r : requests) alone.add(engine.generate(List.of(r)).get(0));
            // Together: continuous batches of six rows, each with its own schema.
            List<GenerationResult> together = batches.generate(requests);
            for (int i = 0; i < requests.size(); i++) {
                for (GenerationResult r : List.of(alone.get(i), together.get(i))) {
                    JsonNode parsed = JSON.readTree(r.text());
                    assertThat(schemas.get(i).validate(parsed)).as("%s schema %d: %s", model, i, r.text()).isEmpty();
                    outputs++;
                }
                if (requests.get(i).sampling().greedy())
                    assertThat(together.get(i).tokenIds()).as("%s greedy row %d batched", model, i).isEqualTo(alone.get(i).tokenIds());
            }
            assertThat(outputs).isEqualTo(48);
            assertThat(batches.maxRows()).as("rows shared decoding steps").isGreaterThan(1);
        }
    }

    /** A random schema of the subset: nested objects and arrays up to depth 2, every scalar kind, optional members, nullable values. */
    static ObjectNode object(Random random, int depth) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("type", "object");
        ObjectNode properties = o.putObject("properties");
        ArrayNode required = JsonNodeFactory.instance.arrayNode();
        int n = 1 + random.nextInt(depth == 0 ? 5 : 3);
        for (int i = 0; i < n; i++) {
            String name = WORDS[random.nextInt(WORDS.length)] + (i == 0 ? "" : "_" + i);
            properties.set(name, value(random, depth));
            if (random.nextInt(3) > 0) required.add(name);
        }
        if (!required.isEmpty()) o.set("required", required);
        if (random.nextBoolean()) o.put("description", "a thing with \"quotes\" and ünïcode");
        return o;
    }

    private static ObjectNode value(Random random, int depth) {
        ObjectNode v = JsonNodeFactory.instance.objectNode();
        switch (random.nextInt(depth < 2 ? 9 : 7)) {
            case 0 -> v.put("type", "string");
            case 1 -> v.put("type", "string").put("maxLength", 1 + random.nextInt(12));
            case 2 -> v.put("type", "string").put("format", "date");
            case 3 -> {
                ArrayNode values = v.put("type", "string").putArray("enum");
                for (int k = 0; k <= random.nextInt(4); k++) values.add(k == 1 ? "mit \"Anführung\"" : "v" + k + random.nextInt(9));
            }
            case 4 -> v.put("type", "number");
            case 5 -> v.put("type", "integer");
            case 6 -> v.put("type", "boolean");
            case 7 -> {
                v.put("type", "array").set("items", depth < 1 && random.nextBoolean() ? object(random, depth + 1) : value(random, 2));
                if (random.nextBoolean()) v.put("maxItems", 1 + random.nextInt(3));
                if (random.nextInt(3) == 0) v.put("minItems", 1);
            }
            default -> v.setAll(object(random, depth + 1));
        }
        // A quarter may also be null, as schemas written for other structured-output tools say it.
        if (random.nextInt(4) == 0) {
            String type = v.get("type").asText();
            v.putArray("type").add(type).add("null");
            if (v.get("enum") instanceof ArrayNode values && random.nextBoolean()) values.addNull();
        }
        return v;
    }
}

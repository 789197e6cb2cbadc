package dev.nightshift.pipeline.extract;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.constrain.AutomatonConstraint;
import dev.nightshift.pipeline.constrain.ByteDfa;
import dev.nightshift.pipeline.llm.TokenConstraint;
import dev.nightshift.pipeline.constrain.TokenVocabulary;
import dev.nightshift.pipeline.llm.TestModels;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema's automaton without a model: what it accepts, and random walks through its masks under tight budgets. */
class SchemaGrammarTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ByteDfa dfa(String schema) throws Exception {
        return ByteDfa.of(SchemaGrammar.of(FieldSchema.parse(JSON.readTree(schema))));
    }

    private static boolean accepts(ByteDfa dfa, String text) {
        int s = 0;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            s = dfa.next(s, b & 0xff);
            if (s < 0) return false;
        }
        return dfa.accepting(s);
    }

    @Test
    void acceptsTheJsonTheSchemaMeansAndNothingElse() throws Exception {
        ByteDfa dfa = dfa("""
                {"type": "object", "required": ["id", "date"], "properties": {
                  "id": {"type": "string", "maxLength": 4}, "date": {"type": "string", "format": "date"},
                  "kind": {"type": "string", "enum": ["a", "b\\"c"]}, "total": {"type": "number"},
                  "tags": {"type": "array", "items": {"type": "integer"}, "maxItems": 2}}}""");
        assertThat(accepts(dfa, "{\"id\":\"ab\",\"date\":\"2024-02-29\"}")).isTrue();
        assertThat(accepts(dfa, "{\"id\": \"é\\n\", \"date\": \"2023-12-31\", \"kind\": \"b\\\"c\", \"total\": -12.5, \"tags\": [1, 2]}")).isTrue();
        assertThat(accepts(dfa, "{\"id\":\"abcde\",\"date\":\"2024-01-01\"}")).as("longer than maxLength").isFalse();
        assertThat(accepts(dfa, "{\"id\":\"a\",\"date\":\"2023-02-29\"}")).as("no such day").isFalse();
        assertThat(accepts(dfa, "{\"id\":\"a\",\"date\":\"2024-04-31\"}")).as("no such day").isFalse();
        assertThat(accepts(dfa, "{\"date\":\"2024-01-01\"}")).as("required id missing").isFalse();
        assertThat(accepts(dfa, "{\"date\":\"2024-01-01\",\"id\":\"a\"}")).as("members in the schema's order").isFalse();
        assertThat(accepts(dfa, "{\"id\":\"a\",\"date\":\"2024-01-01\",\"kind\":\"c\"}")).as("not in the enum").isFalse();
        assertThat(accepts(dfa, "{\"id\":\"a\",\"date\":\"2024-01-01\",\"tags\":[1,2,3]}")).as("over maxItems").isFalse();
        assertThat(accepts(dfa, "{\"id\":\"a\",\"date\":\"2024-01-01\",\"total\":1e5}")).as("no exponent").isFalse();
        assertThat(accepts(dfa, "{\"id\":\"a\",  \"date\":\"2024-01-01\"}")).as("one blank at most").isFalse();
        assertThat(accepts(dfa, "{\"id\":\"\u0001\",\"date\":\"2024-01-01\"}")).as("control character").isFalse();
        assertThat(accepts(dfa, "{\"id\":\"a\",\"date\":\"2024-01-01\"} ")).as("nothing after the object").isFalse();
    }

    /**
     * Random tokens among those each mask allows, from random logits, under budgets from the shortest object
     * up: every walk ends, within its budget, on JSON that follows its schema.
     */
    @Test
    void randomWalksThroughTheMasksEndOnValidJsonWithinTheirBudget() throws Exception {
        TokenVocabulary vocab = TokenVocabulary.of(TestModels.path("tiny-gemma3").resolve("tokenizer.json"));
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            FieldSchema.ObjectType schema = FieldSchema.parse(ConstrainedJsonTest.object(random, 0));
            AutomatonConstraint c = new AutomatonConstraint(ByteDfa.of(SchemaGrammar.of(schema)), vocab);
            int budget = c.shortest() + 1 + (i % 3 == 0 ? 0 : random.nextInt(200));
            TokenConstraint.Cursor cursor = c.start();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            boolean complete = false;
            float[] logits = new float[vocab.size()];
            for (int k = 0; k < budget && !complete; k++) {
                for (int j = 0; j < logits.length; j++) logits[j] = (float) random.nextGaussian();
                cursor.mask(logits, 0, logits.length, budget - k);
                int best = 0;
                for (int j = 1; j < logits.length; j++) if (logits[j] > logits[best]) best = j;
                out.writeBytes(vocab.bytes(best));
                complete = cursor.advance(best);
            }
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(complete).as("schema %d ended within %d tokens: %s", i, budget, text).isTrue();
            assertThat(schema.validate(JSON.readTree(text))).as(text).isEmpty();
        }
    }

    @Test
    void aSchemaOutsideTheSubsetIsRefusedWithEveryProblem() {
        assertThatThrownBy(() -> FieldSchema.parse(JSON.readTree("""
                {"type": "object", "properties": {"a": {"type": "string", "pattern": "x+"}, "b": {"type": ["string", "number"]},
                 "c": {"type": "string", "format": "email"}, "d": {"type": "array"}}, "required": ["e"], "oneOf": []}""")))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("a: \"pattern\" is not supported")
                .hasMessageContaining("b: \"type\" may be a list only of one type and \"null\"")
                .hasMessageContaining("\"format\": \"email\" is not supported")
                .hasMessageContaining("d: an array needs \"items\"")
                .hasMessageContaining("\"required\" names \"e\"")
                .hasMessageContaining("the root: \"oneOf\" is not supported");
        assertThatThrownBy(() -> FieldSchema.parse(JSON.readTree("{\"type\": \"string\"}"))).hasMessageContaining("the root must be an object");
        assertThatThrownBy(() -> FieldSchema.parse(JSON.readTree("{\"type\": [\"object\", \"null\"]}"))).hasMessageContaining("below the root");
        assertThatThrownBy(() -> FieldSchema.parse(JSON.readTree("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": [\"null\", \"null\"]}}}")))
                .hasMessageContaining("a: \"type\" may be a list only of one type and \"null\"");
        assertThatThrownBy(() -> FieldSchema.parse(JSON.readTree("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"enum\": [\"x\", null]}}}")))
                .as("null in an enum only when the value may be null").hasMessageContaining("a: \"enum\" of a string takes strings only");
    }

    /** {@code "type": [T, "null"]}, as schemas for other structured-output tools write it: T's values or null, nothing else. */
    @Test
    void aNullableValueIsItsTypeOrNull() throws Exception {
        ByteDfa dfa = dfa("""
                {"type": "object", "required": ["due", "kind"], "properties": {
                  "due": {"type": ["string", "null"], "format": "date"}, "kind": {"type": ["string", "null"], "enum": ["a", "b", null]},
                  "lines": {"type": ["array", "null"], "items": {"type": ["object", "null"], "properties": {"n": {"type": ["integer", "null"]}}}}}}""");
        assertThat(accepts(dfa, "{\"due\":null,\"kind\":null}")).isTrue();
        assertThat(accepts(dfa, "{\"due\":\"2024-03-04\",\"kind\":\"a\",\"lines\":[null,{\"n\":null},{\"n\":3}]}")).isTrue();
        assertThat(accepts(dfa, "{\"due\":null,\"kind\":null,\"lines\":null}")).isTrue();
        assertThat(accepts(dfa, "{\"due\":\"null\",\"kind\":null}")).as("a date, not the word").isFalse();
        assertThat(accepts(dfa, "{\"due\":null,\"kind\":\"c\"}")).as("not in the enum").isFalse();
        assertThat(accepts(dfa, "{\"due\":null}")).as("required, even when it may be null").isFalse();
        assertThat(accepts(dfa, "{\"due\":nul,\"kind\":null}")).isFalse();
    }
}

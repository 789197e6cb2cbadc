package dev.nightshift.pipeline.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.FieldValue;
import dev.nightshift.pipeline.core.FieldValue.Evidence;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evidence and merging with scripted outputs (what a model would have written for each chunk): values the text
 * writes are found with their span in the document, in any spelling; an invented one is flagged.
 */
class FieldValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "ACME Hafenlogistik GmbH\nInvoice no. 2024-117, 4 March 2024\n"
            + "Crane hire   2.400,00 EUR\nTotal due: 1.234,50 EUR\n"
            + "Second page. Customer: Stadtbibliothek   Lübeck. Pilot service 350,50 EUR. Paid: no.";
    private static final int SPLIT = TEXT.indexOf("Second page");

    private static FieldSchema.ObjectType schema() throws Exception {
        return FieldSchema.parse(JSON.readTree("""
                {"type": "object", "required": ["supplier", "total"], "properties": {
                  "supplier": {"type": "string"}, "customer": {"type": "string"}, "date": {"type": "string", "format": "date"},
                  "total": {"type": "number"}, "paid": {"type": "boolean"},
                  "currency": {"type": "string", "enum": ["EUR", "USD"]}, "kind": {"type": "string", "enum": ["invoice", "reminder"]},
                  "items": {"type": "array", "items": {"type": "object", "properties": {"what": {"type": "string"}, "amount": {"type": "number"}}}}}}"""));
    }

    private static List<Chunk> chunks() {
        return List.of(new Chunk(0, 0, SPLIT, 40, TEXT.substring(0, SPLIT)), new Chunk(1, SPLIT, TEXT.length(), 30, TEXT.substring(SPLIT)));
    }

    private static FieldValue value(FieldValues.Merged m, String path) {
        return m.values().stream().filter(v -> v.path().equals(path)).findFirst().orElseThrow();
    }

    @Test
    void valuesAreFoundInAnySpellingAndInventedOnesFlagged() throws Exception {
        List<JsonNode> scripted = List.of(
                JSON.readTree("{\"supplier\": \"Acme Hafenlogistik GmbH\", \"customer\": \"Stadtwerke Kiel\", \"date\": \"2024-03-04\", \"total\": 1234.5,"
                        + " \"currency\": \"EUR\", \"kind\": \"reminder\","
                        + " \"items\": [{\"what\": \"Crane hire\", \"amount\": 2400}]}"),
                JSON.readTree("{\"supplier\": \"ACME\", \"customer\": \"Stadtbibliothek Lübeck\", \"total\": 99, \"paid\": false,"
                        + " \"items\": [{\"what\": \"Pilot service\", \"amount\": 350.5}, {\"what\": \"Crane hire\", \"amount\": 2400}]}"));
        FieldValues.Merged m = FieldValues.merge(schema(), chunks(), scripted);

        FieldValue supplier = value(m, "supplier");
        assertThat(supplier.evidence()).isEqualTo(Evidence.FOUND);
        assertThat(TEXT.substring(supplier.start(), supplier.end())).as("case ignored").isEqualTo("ACME Hafenlogistik GmbH");
        FieldValue total = value(m, "total");
        assertThat(total.evidence()).isEqualTo(Evidence.FOUND);
        assertThat(TEXT.substring(total.start(), total.end())).as("1234.5 written 1.234,50").startsWith("1.234,50");
        FieldValue date = value(m, "date");
        assertThat(TEXT.substring(date.start(), date.end())).isEqualTo("4 March 2024");
        // The first chunk's customer is invented; the second chunk's is found (blanks between its words ignored).
        FieldValue customer = value(m, "customer");
        assertThat(customer.evidence()).isEqualTo(Evidence.FOUND);
        assertThat(customer.chunk()).isEqualTo(1);
        assertThat(customer.json()).isEqualTo("\"Stadtbibliothek Lübeck\"");
        assertThat(TEXT.substring(customer.start(), customer.end())).as("span in the document, not the chunk").isEqualTo("Stadtbibliothek   Lübeck");
        assertThat(value(m, "paid").evidence()).isEqualTo(Evidence.NOT_CHECKED);
        // An enum's value: found when the text writes it, a category otherwise (not flagged).
        assertThat(value(m, "currency").evidence()).isEqualTo(Evidence.FOUND);
        assertThat(value(m, "kind").evidence()).isEqualTo(Evidence.NOT_CHECKED);
        // Arrays: the union in chunk order, each item once, each value looked up in its own chunk.
        assertThat(m.object().get("items")).hasSize(2);
        assertThat(value(m, "items[1].amount").evidence()).isEqualTo(Evidence.FOUND);
        assertThat(value(m, "items[1].amount").chunk()).isEqualTo(1);
        assertThat(m.object().get("total").decimalValue()).isEqualByComparingTo("1234.5");
        assertThat(schema().validate(m.object())).isEmpty();
    }

    @Test
    void aValueNoChunkWritesIsKeptAndFlagged() throws Exception {
        List<JsonNode> scripted = List.of(JSON.readTree("{\"supplier\": \"Globex Corporation\", \"total\": 77.7}"),
                JSON.readTree("{\"supplier\": \"\", \"total\": 78}"));
        FieldValues.Merged m = FieldValues.merge(schema(), chunks(), scripted);
        assertThat(value(m, "supplier").evidence()).isEqualTo(Evidence.NOT_IN_SOURCE);
        assertThat(value(m, "supplier").json()).as("the first non-empty value").isEqualTo("\"Globex Corporation\"");
        assertThat(value(m, "total").evidence()).isEqualTo(Evidence.NOT_IN_SOURCE);
        assertThat(value(m, "total").start()).isEqualTo(-1);
        assertThat(m.object().has("customer")).as("no chunk wrote it").isFalse();
    }

    /** Schemas written for other tools say "not given" with null: a null gives way to another chunk's value and is never stored. */
    @Test
    void aNullGivesWayToAValueAndIsNotStored() throws Exception {
        FieldSchema.ObjectType schema = FieldSchema.parse(JSON.readTree("""
                {"type": "object", "required": ["supplier", "customer", "due"], "properties": {
                  "supplier": {"type": ["string", "null"]}, "customer": {"type": ["null", "string"]},
                  "due": {"type": ["string", "null"], "format": "date"},
                  "tags": {"type": "array", "items": {"type": ["string", "null"]}}}}"""));
        List<JsonNode> scripted = List.of(
                JSON.readTree("{\"supplier\": \"ACME Hafenlogistik GmbH\", \"customer\": null, \"due\": null, \"tags\": [null, \"Crane hire\"]}"),
                JSON.readTree("{\"supplier\": null, \"customer\": \"Stadtbibliothek Lübeck\", \"due\": null, \"tags\": []}"));
        FieldValues.Merged m = FieldValues.merge(schema, chunks(), scripted);
        assertThat(m.object().get("customer").asText()).as("the second chunk's value, not the first's null").isEqualTo("Stadtbibliothek Lübeck");
        assertThat(value(m, "customer").evidence()).isEqualTo(Evidence.FOUND);
        assertThat(value(m, "customer").chunk()).isEqualTo(1);
        assertThat(m.object().get("supplier").asText()).as("the first chunk's value, not the second's null").isEqualTo("ACME Hafenlogistik GmbH");
        assertThat(m.object().get("due").isNull()).as("null in every chunk").isTrue();
        assertThat(m.values()).extracting(FieldValue::path).containsExactly("supplier", "customer", "tags[1]");
        assertThat(schema.validate(m.object())).isEmpty();
    }
}

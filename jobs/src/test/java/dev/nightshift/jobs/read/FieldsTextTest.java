package dev.nightshift.jobs.read;

import dev.nightshift.pipeline.store.FieldRows;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FieldsTextTest {
    @Test
    void valuesWithTheirEvidenceThenTheFieldsTheModelSaidTheTextDoesNotGive() {
        var d = new FieldRows.DocumentFields("/in/letter.txt", "extract:letter",
                "{\"sender\":\"ACME\",\"date\":null,\"subject\":null,\"amount\":12}",
                List.of(new FieldRows.Value("sender", "sender", "\"ACME\"", "string", "found", 0, 4, 0, "ACME"),
                        new FieldRows.Value("amount", "amount", "12", "number", "not_in_source", -1, -1, 1, null)));
        StringWriter text = new StringWriter();
        FieldsText.print(new PrintWriter(text, true), d);
        assertThat(text.toString().lines().toList()).containsExactly(
                "  fields (extract:letter):",
                "    sender   \"ACME\"  found at 0-4: \"ACME\"",
                "    amount   12  NOT IN SOURCE (chunk 1)",
                "    date     null  (the text does not give it, says the model)",
                "    subject  null  (the text does not give it, says the model)");
    }
}

package dev.nightshift.pipeline.task;

import dev.nightshift.pipeline.core.FieldValue;
import dev.nightshift.pipeline.core.OutputDraft;

import java.util.List;

/**
 * What a {@link DocumentTask} made of one document.
 *
 * @param outputs    the output nodes, inputs before the nodes made from them; the last is the final result
 * @param passedOver why the document needed no work although its text is usable (a translation's
 *                   document already in the target language), or null. Its outputs are still stored
 *                   (copies of the text), so the document is finished and the next run skips it.
 * @param fields     the values an extraction read, with their evidence (empty for other tasks)
 */
public record TaskOutput(List<OutputDraft> outputs, String passedOver, List<FieldValue> fields) {
    public TaskOutput {
        outputs = List.copyOf(outputs);
        fields = List.copyOf(fields);
        if (outputs.isEmpty()) throw new IllegalArgumentException("a task makes at least one output");
    }

    public TaskOutput(List<OutputDraft> outputs, String passedOver) {
        this(outputs, passedOver, List.of());
    }

    public static TaskOutput of(List<OutputDraft> outputs) {
        return new TaskOutput(outputs, null);
    }
}

package dev.nightshift.pipeline.answer;

import dev.nightshift.pipeline.core.Passage;
import java.util.List;

/** Finds the stored chunks most likely to answer a question, best first. */
public interface Retriever {
    List<Passage> retrieve(String question, int limit);
}

package dev.nightshift.pipeline.answer;

import java.util.List;

/** Finds the stored chunks most likely to answer a question, best first. */
public interface Retriever {
    List<Passage> retrieve(String question, int limit);
}

/**
 * Answers that show their sources: a {@code Retriever} finds stored chunks for a question (the Lucene
 * index in connectors/search), {@code Answerer} asks the model to answer only from them with numbered
 * citations, and checks each sentence against the chunks it cites (pipeline/ground).
 */
package dev.nightshift.pipeline.answer;

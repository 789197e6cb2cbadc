package dev.nightshift.pipeline.core;

/**
 * A stored chunk retrieved for a question: where it is (document, extraction, character span) and its text.
 *
 * @param chunkId      the stored chunk, for the answer's lineage
 * @param extractionId the extraction its offsets point into
 * @param start        its first character in the extraction's text
 * @param end          one past its last character
 */
public record Passage(long chunkId, long documentId, String path, long extractionId, int start, int end, String text, double score) {
}

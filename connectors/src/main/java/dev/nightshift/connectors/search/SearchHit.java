package dev.nightshift.connectors.search;

/**
 * One match: where it is and why it ranks.
 *
 * @param kind    {@code chunk} (a span of the extracted text) or {@code output} (a summary, translation, description)
 * @param seq     the chunk's number, or -1 for an output
 * @param start   the chunk's first character in the extraction, or -1
 * @param end     one past the chunk's last character, or -1
 * @param task    the output's task ({@code summary}, {@code image}, ...), or null for a chunk
 * @param snippet the best passage, matching words between {@link LuceneIndex#MARK_START} and {@link LuceneIndex#MARK_END}
 */
public record SearchHit(float score, String path, String mediaType, String language, long documentId, String kind, int seq,
                        int start, int end, String task, String snippet) {
}

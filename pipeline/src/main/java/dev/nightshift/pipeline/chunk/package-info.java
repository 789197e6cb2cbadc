/**
 * Cutting text into chunks that fit a token budget: paragraphs, then sentences, then words, a heading
 * starting a new chunk, optionally overlapping; counted with the model's own tokenizer or a heuristic.
 */
package dev.nightshift.pipeline.chunk;

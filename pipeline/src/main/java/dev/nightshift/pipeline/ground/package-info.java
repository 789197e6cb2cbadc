/**
 * Grounding: does the source say what an output says? {@code GroundingCheck} splits a text into sentences
 * ({@code Sentences}) and checks each against a {@code SourceText} without a model: lexical alignment (idf-weighted
 * words, up to three source sentences as evidence, with character offsets into the extraction), then the facts a
 * small model gets wrong: numbers ({@code NumberFacts}: "4 %" = "four percent", "4,120" = "4120"), dates
 * ({@code DateFacts}: "31 March 2027" = "2027-03-31"), names, negation, who did what (swapped words, another
 * subject, a substituted word in a phrase). The result ({@code Grounding}, {@code SentenceCheck}) names what was
 * not found, as flags like {@code number:17} or {@code name:Lyon}. Measured on jobs' {@code grounding/*.tsv}.
 */
package dev.nightshift.pipeline.ground;

/**
 * Grounding: does the source say what an output says? {@code GroundingCheck} splits a text into sentences
 * ({@code Sentences}) and checks each against a {@code SourceText} without a model: lexical alignment (idf-weighted
 * words, up to three source sentences as evidence, with character offsets into the extraction), then the facts a
 * small model gets wrong: numbers ({@code NumberFacts}: "4 %" = "four percent", "4,120" = "4120"), dates
 * ({@code DateFacts}: "31 March 2027" = "2027-03-31"), names, negation, who did what (swapped words, another
 * subject, a substituted word in a phrase, an opposite word), names found as written ({@code Identifiers}: options,
 * identifiers, paths, manual pages, versions within their entry). {@code Tables} makes a CSV line, a spreadsheet row or
 * a keyed list's line one unit of evidence with its header, so that values of two rows cannot support each other;
 * the document's file name counts as source. The result (core's {@code Grounding}, {@code SentenceCheck}) names what was not
 * found, as flags like {@code number:17}, {@code name:Lyon}, {@code row:Stretch} or {@code version:0.5.10.2-6}.
 * Measured on jobs' {@code grounding/*.tsv} (issue 12's sets and issue 21's evaluation over 47 real files).
 */
package dev.nightshift.pipeline.ground;

/**
 * Translation that keeps a document's structure: {@code TextLayout} cuts a chunk into what is kept (blank lines,
 * markers, code, links, numbers) and what is translated (paragraphs, headings, list items, cells);
 * {@code ModelTranslator} sends the pieces to the generator and puts each translation back in its place.
 */
package dev.nightshift.pipeline.translate;

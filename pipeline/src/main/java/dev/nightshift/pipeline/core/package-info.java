/**
 * The records that cross stages (a found source, a fingerprinted document, an extraction and what was found
 * inside it, chunks, a task, output drafts and their inputs) and the extraction statuses the run acts on.
 */
package dev.nightshift.pipeline.core;

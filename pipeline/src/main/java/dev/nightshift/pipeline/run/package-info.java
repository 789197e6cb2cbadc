/**
 * A run as three stages and a scheduler. {@link dev.nightshift.pipeline.run.Preparer} (fingerprint, skip decision by
 * {@link dev.nightshift.pipeline.run.SkipPolicy}, extraction, chunking: a {@link dev.nightshift.pipeline.run.Preparation}),
 * {@link dev.nightshift.pipeline.run.DocumentProcessor} (the document task: {@link dev.nightshift.pipeline.run.ProcessedDocument}s)
 * and {@link dev.nightshift.pipeline.run.ResultWriter} (one transaction per source file) know nothing of threads;
 * {@link dev.nightshift.pipeline.run.DocumentRun} joins them by bounded queues, counts what happened and tells a
 * {@link dev.nightshift.pipeline.run.RunListener}. Sources come from a {@link dev.nightshift.pipeline.run.Connector},
 * text from an {@link dev.nightshift.pipeline.run.Extractor}.
 */
package dev.nightshift.pipeline.run;

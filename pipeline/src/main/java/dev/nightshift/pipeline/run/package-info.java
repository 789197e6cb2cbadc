/**
 * A run's scheduling: {@link dev.nightshift.pipeline.run.DocumentRun} joins discovery, preparation (fingerprint, skip
 * decision by {@link dev.nightshift.pipeline.run.SkipPolicy}, extraction, chunking) and the document task by bounded
 * queues, stores each file with everything inside it in one transaction, and counts what happened. The seams
 * it calls are small interfaces: {@link dev.nightshift.pipeline.run.Connector}, {@link dev.nightshift.pipeline.run.Extractor},
 * {@link dev.nightshift.pipeline.task.DocumentTask}, {@link dev.nightshift.pipeline.run.RunListener}.
 */
package dev.nightshift.pipeline.run;

/**
 * The embedded H2 database, the only place results live: {@link dev.nightshift.pipeline.store.Store} writes (one
 * process at a time, one transaction per file) and tells what earlier runs did ({@link dev.nightshift.pipeline.store.PriorWork},
 * through {@link dev.nightshift.pipeline.store.PriorWorkLookup}); {@link dev.nightshift.pipeline.store.Reports} reads.
 * What it reads comes out as records, the read models every view formats: a document's
 * {@link dev.nightshift.pipeline.store.Lineage} tree, an output's {@link dev.nightshift.pipeline.store.Provenance},
 * {@link dev.nightshift.pipeline.store.ExportRecord}s, status and failures. The schema is in {@code sql/} (Flyway);
 * events are of an {@link dev.nightshift.pipeline.store.EventKind}.
 */
package dev.nightshift.pipeline.store;

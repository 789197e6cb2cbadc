/**
 * The embedded H2 database, the only place results live: {@link dev.nightshift.pipeline.store.Store} writes (one
 * process at a time, one transaction per file) and tells what earlier runs did ({@link dev.nightshift.pipeline.store.PriorWork},
 * through {@link dev.nightshift.pipeline.store.PriorWorkLookup}); the query classes read ({@link dev.nightshift.pipeline.store.StatusQueries}, {@link dev.nightshift.pipeline.store.LineageQueries}, {@link dev.nightshift.pipeline.store.OutputQueries}, {@link dev.nightshift.pipeline.store.TextQueries}, {@link dev.nightshift.pipeline.store.IndexFeed}).
 * What it reads comes out as records, the read models every view formats: a document's
 * {@link dev.nightshift.pipeline.store.Lineage} tree, an output's {@link dev.nightshift.pipeline.store.Provenance},
 * {@link dev.nightshift.pipeline.store.ExportRecord}s, status and failures. The schema is in {@code sql/} (Flyway);
 * events are of an {@link dev.nightshift.pipeline.store.EventKind}.
 */
package dev.nightshift.pipeline.store;

/**
 * The embedded H2 database, the only place results live: {@link dev.nightshift.pipeline.store.Store} writes (one
 * process at a time, one transaction per file) and tells what earlier runs did ({@link dev.nightshift.pipeline.store.PriorWork});
 * {@link dev.nightshift.pipeline.store.Reports} reads status, lineage trees, failures and export records. The schema
 * is in {@code sql/} (Flyway); events are of an {@link dev.nightshift.pipeline.store.EventKind}.
 */
package dev.nightshift.pipeline.store;

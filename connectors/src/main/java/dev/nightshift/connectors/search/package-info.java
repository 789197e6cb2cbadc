/**
 * Full-text search over a database's documents and outputs with Apache Lucene
 * ({@link dev.nightshift.connectors.search.LuceneIndex}), built from the database and kept beside it.
 */
package dev.nightshift.connectors.search;

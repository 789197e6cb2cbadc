/**
 * The morning report: a self-contained HTML file made from the database's read models
 * ({@link dev.nightshift.connectors.report.HtmlReport}).
 */
package dev.nightshift.connectors.report;

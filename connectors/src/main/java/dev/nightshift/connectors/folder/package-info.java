/**
 * Finding sources on disk: folders walked recursively with filters, links followed, loops and unreadable
 * places reported, nightshift's own data folder left out.
 */
package dev.nightshift.connectors.folder;

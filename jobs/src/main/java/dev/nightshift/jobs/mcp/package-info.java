/**
 * {@code nightshift mcp}: an MCP server over stdio (JSON-RPC lines, bounded) whose tools read the database the way
 * the reading commands do. Depends on {@code read}, {@code run} and {@code cli}.
 */
package dev.nightshift.jobs.mcp;

/**
 * {@code model pull|verify|generate} (the only network access nightshift has, and only when asked) and
 * {@code bench} (speed, memory and grounding figures, with the command lines that reproduce them). Depends on
 * {@code read}, {@code run} and {@code cli}.
 */
package dev.nightshift.jobs.model;

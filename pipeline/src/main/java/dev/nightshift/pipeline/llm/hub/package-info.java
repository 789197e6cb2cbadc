/**
 * {@code model pull}: the only network use of nightshift. Lists a Hugging Face repository, fetches only the files one
 * precision needs, resumably, each checked against the hub's SHA-256.
 */
package dev.nightshift.pipeline.llm.hub;

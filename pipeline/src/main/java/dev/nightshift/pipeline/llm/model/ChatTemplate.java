package dev.nightshift.pipeline.llm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The model's own chat template (Jinja), rendered with Jinjava the way transformers renders it
 * ({@code trim_blocks} and {@code lstrip_blocks} on). Gemma 3 and Gemma 4 name their turn markers
 * differently; rendering the folder's template instead of assembling strings keeps both right.
 */
public final class ChatTemplate {
    /**
     * One turn of a conversation.
     *
     * @param content a string, or what a template expects instead: TranslateGemma's takes a list with one
     *                map {@code {type: text, source_lang_code, target_lang_code, text}}
     */
    public record Message(String role, Object content) {
    }

    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;

    private ChatTemplate(String source, String bosToken, String eosToken) {
        this.source = source;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withFailOnUnknownTokens(false)
                .build();
        this.jinjava = new Jinjava(config);
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
    }

    /** Called by templates to reject a conversation (e.g. roles that do not alternate). */
    public static String raiseException(String message) {
        throw new TemplateException(message);
    }

    static final class TemplateException extends RuntimeException {
        TemplateException(String message) {
            super(message);
        }
    }

    /** {@code chat_template.jinja} if present, else {@code chat_template} in {@code tokenizer_config.json}. */
    public static ChatTemplate load(Path folder) {
        JsonNode config = null;
        Path configFile = folder.resolve("tokenizer_config.json");
        try {
            if (Files.exists(configFile)) config = new ObjectMapper().readTree(configFile.toFile());
            String template;
            Path jinja = folder.resolve("chat_template.jinja");
            if (Files.exists(jinja)) {
                template = Files.readString(jinja);
            } else if (config != null && config.hasNonNull("chat_template")) {
                JsonNode t = config.get("chat_template");
                template = t.isTextual() ? t.asText() : namedTemplate(t);
            } else {
                throw new ModelException("no chat template in " + folder + " (neither chat_template.jinja nor "
                        + "tokenizer_config.json's chat_template)");
            }
            String bos = tokenText(config, "bos_token", "<bos>");
            String eos = tokenText(config, "eos_token", "<eos>");
            return new ChatTemplate(template, bos, eos);
        } catch (IOException e) {
            throw new ModelException("cannot read the chat template in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Some configs hold a list of named templates; the chat one is called "default". */
    private static String namedTemplate(JsonNode list) {
        for (JsonNode t : list) {
            if ("default".equals(t.path("name").asText())) return t.path("template").asText();
        }
        throw new ModelException("tokenizer_config.json lists chat templates but none is named 'default'");
    }

    private static String tokenText(JsonNode config, String field, String fallback) {
        if (config == null || !config.has(field)) return fallback;
        JsonNode t = config.get(field);
        return t.isTextual() ? t.asText() : t.path("content").asText(fallback);
    }

    public String source() {
        return source;
    }

    public String render(List<Message> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders a conversation. {@code extra} adds template variables, e.g. TranslateGemma's
     * {@code source_lang_code} and {@code target_lang_code}.
     */
    public String render(List<Message> messages, boolean addGenerationPrompt, Map<String, Object> extra) {
        Map<String, Object> context = new HashMap<>(extra);
        context.put("messages", messages.stream()
                .map(m -> Map.<String, Object>of("role", m.role(), "content", m.content()))
                .collect(Collectors.toList()));
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        RenderResult result;
        try {
            result = jinjava.renderForResult(source, context);
        } catch (TemplateException e) {
            throw new ModelException("the chat template rejected the conversation: " + e.getMessage(), e);
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                String message = error.getMessage();
                for (Throwable t = error.getException(); t != null && t.getCause() != t; t = t.getCause()) {
                    if (t instanceof TemplateException te) {
                        message = te.getMessage(); // the template's own words, e.g. "roles must alternate"
                        break;
                    }
                }
                throw new ModelException("cannot render the chat template: " + message);
            }
        }
        return result.getOutput();
    }
}

package dev.nightshift.pipeline.llm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the engine needs from {@code config.json} and {@code generation_config.json}. Gemma 3 text
 * exports are flat ({@code model_type: gemma3_text}); Gemma 4 exports nest the text model under
 * {@code text_config} ({@code model_type: gemma4}).
 *
 * @param modelType       the text model's type, e.g. {@code gemma3_text}
 * @param layers          decoder layers
 * @param kvSharedLayers  trailing layers that reuse earlier layers' KV (Gemma 4), 0 otherwise
 * @param vocabSize       logits per position
 * @param contextLength   the longest sequence the model was trained for
 * @param slidingWindow   the sliding-window size of local layers, or 0
 * @param bosId           beginning-of-sequence id
 * @param padId           padding id (rows that finished early emit it)
 * @param eosIds          every id that ends generation
 */
public record ModelConfig(
        String modelType,
        int layers,
        int kvSharedLayers,
        int vocabSize,
        int contextLength,
        int slidingWindow,
        int bosId,
        int padId,
        Set<Integer> eosIds) {

    static final Set<String> SUPPORTED = Set.of("gemma3_text", "gemma3", "gemma4_text", "gemma4", "gemma", "gemma2");

    public ModelConfig {
        eosIds = Set.copyOf(eosIds);
    }

    static ModelConfig read(Path folder) {
        ObjectMapper json = new ObjectMapper();
        JsonNode root = readJson(json, folder.resolve("config.json"), true);
        String topType = root.path("model_type").asText("");
        JsonNode text = root.has("text_config") ? root.get("text_config") : root;
        String type = text.path("model_type").asText(topType);
        if (!SUPPORTED.contains(type) && !SUPPORTED.contains(topType)) {
            throw new ModelException("unsupported model_type '" + (type.isEmpty() ? topType : type) + "' in "
                    + folder.resolve("config.json") + "; nightshift runs Gemma 3 and Gemma 4 text models");
        }
        int layers = requireInt(text, "num_hidden_layers", folder);
        int vocab = requireInt(text, "vocab_size", folder);
        int context = text.path("max_position_embeddings").asInt(8192);

        JsonNode generation = readJson(json, folder.resolve("generation_config.json"), false);
        Set<Integer> eos = new LinkedHashSet<>();
        addIds(eos, generation.path("eos_token_id"));
        if (eos.isEmpty()) addIds(eos, text.path("eos_token_id"));
        if (eos.isEmpty()) addIds(eos, root.path("eos_token_id"));
        if (eos.isEmpty()) throw new ModelException("no eos_token_id in generation_config.json or config.json of " + folder);
        int bos = firstInt(2, generation.path("bos_token_id"), text.path("bos_token_id"), root.path("bos_token_id"));
        int pad = firstInt(0, generation.path("pad_token_id"), text.path("pad_token_id"), root.path("pad_token_id"));
        return new ModelConfig(type.isEmpty() ? topType : type, layers, text.path("num_kv_shared_layers").asInt(0),
                vocab, context, text.path("sliding_window").asInt(0), bos, pad, eos);
    }

    private static JsonNode readJson(ObjectMapper json, Path file, boolean required) {
        if (!Files.exists(file)) {
            if (required) throw new ModelException("not a model folder: " + file.getParent() + " has no " + file.getFileName());
            return json.createObjectNode();
        }
        try {
            return json.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static int requireInt(JsonNode node, String field, Path folder) {
        if (!node.path(field).canConvertToInt()) {
            throw new ModelException(folder.resolve("config.json") + " has no " + field);
        }
        return node.get(field).asInt();
    }

    private static void addIds(Set<Integer> ids, JsonNode node) {
        if (node.isInt()) ids.add(node.asInt());
        if (node.isArray()) node.forEach(n -> ids.add(n.asInt()));
    }

    private static int firstInt(int fallback, JsonNode... nodes) {
        for (JsonNode n : nodes) if (n.canConvertToInt()) return n.asInt();
        return fallback;
    }
}

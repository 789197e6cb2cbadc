package dev.nightshift.pipeline.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/** The JSON columns of {@code groundings}: evidence as {@code [[start, end], ...]} (an answer's: {@code [start, end, chunk_id]}), flags as {@code ["number:17", ...]}. */
final class GroundingJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GroundingJson() {
    }

    static String spans(List<long[]> spans) {
        return write(spans);
    }

    static String flags(List<String> flags) {
        return write(flags);
    }

    static List<long[]> readSpans(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<long[]>>() { });
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored grounding's evidence is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static List<String> readFlags(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored grounding's flags are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

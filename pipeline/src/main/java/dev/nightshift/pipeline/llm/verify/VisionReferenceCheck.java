package dev.nightshift.pipeline.llm.verify;

import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.SamplingParams;
import dev.nightshift.pipeline.llm.model.ChatTemplate;
import dev.nightshift.pipeline.llm.model.ModelException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightshift.pipeline.llm.vision.PatchedImage;
import dev.nightshift.pipeline.llm.vision.RgbImage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The vision part of {@link ReferenceCheck} (format in the fixtures' README, "tiny-gemma4-vision"):
 * each image's pixel values (SHA-256 for images at their target size; the mean absolute difference
 * from transformers' own pixel file for resized ones), each case's expanded prompt ids and greedy
 * tokens (required where the reference marks the case exact), and the reference's batch (together and
 * joining a running batch).
 */
final class VisionReferenceCheck {
    private VisionReferenceCheck() {
    }

    static ReferenceCheck.Report run(GemmaEngine engine, JsonNode ref, Path imagesDir) {
        if (!engine.seesImages()) throw new ModelException("the reference has image cases but the folder has no vision encoder");
        int maxNew = ref.path("max_new_tokens").asInt(20);
        Map<String, PatchedImage> prepared = new HashMap<>();
        List<ReferenceCheck.ImageCheck> images = new ArrayList<>();
        for (var e : ref.path("images").properties()) {
            String name = e.getKey();
            PatchedImage p;
            try {
                p = engine.prepare(RgbImage.read(imagesDir.resolve(name)));
            } catch (IOException ex) {
                throw new ModelException("cannot read the reference image " + imagesDir.resolve(name) + ": " + ex.getMessage(), ex);
            }
            prepared.put(name, p);
            boolean resized = e.getValue().path("resized").asBoolean(p.resized());
            Boolean exact = resized ? null : sha256(p.pixelValues()).equals(e.getValue().path("pixel_values_sha256").asText());
            Double mad = null;
            Path shipped = imagesDir.resolve(name + ".pixel_values.f32");
            if (resized && Files.isRegularFile(shipped)) mad = meanAbsoluteDifference(p, shipped);
            images.add(new ReferenceCheck.ImageCheck(name, p.softTokens(), resized, exact, mad));
        }

        List<ReferenceCheck.CaseResult> cases = new ArrayList<>();
        Map<String, GenerationRequest> requests = new HashMap<>();
        Map<String, int[]> alone = new HashMap<>();
        for (var e : ref.path("cases").properties()) {
            String name = e.getKey();
            JsonNode c = e.getValue();
            GenerationRequest request = request(engine, c, prepared, maxNew);
            requests.put(name, request);
            long[] expectedIds = ReferenceCheck.longs(c.path("input_ids"));
            boolean idsMatch = java.util.Arrays.equals(request.promptIds(), expectedIds);
            int[] expected = ReferenceCheck.ints(c.path("generated"));
            int[] actual = engine.generate(List.of(request)).get(0).tokenIds();
            alone.put(name, actual);
            cases.add(new ReferenceCheck.CaseResult(name, idsMatch, null, expected, actual,
                    ReferenceCheck.firstDifference(expected, actual), null, null, c.path("exact").asBoolean(true)));
        }

        JsonNode b = ref.path("batch");
        if (!b.isObject()) return new ReferenceCheck.Report("generated (fp32), with images", cases, null, null, images);
        List<String> names = new ArrayList<>();
        b.path("cases").forEach(n -> names.add(n.asText()));
        List<GenerationRequest> batch = names.stream().map(requests::get).toList();
        List<int[]> aloneRows = names.stream().map(alone::get).toList();
        return new ReferenceCheck.Report("generated (fp32), with images", cases,
                ReferenceCheck.batch(engine, names, batch, ReferenceCheck.rows(b.path("generated"), engine), "transformers' batch"),
                ReferenceCheck.joined(engine, names, batch, aloneRows), images);
    }

    /** The case's messages rendered with its images, as the jobs build image prompts. */
    private static GenerationRequest request(GemmaEngine engine, JsonNode c, Map<String, PatchedImage> prepared, int maxNew) {
        List<ChatTemplate.Message> messages = new ArrayList<>();
        for (JsonNode m : c.path("messages")) {
            Object content;
            if (m.path("content").isTextual()) {
                content = m.path("content").asText();
            } else {
                List<Map<String, Object>> parts = new ArrayList<>();
                for (JsonNode part : m.path("content")) {
                    parts.add("image".equals(part.path("type").asText()) ? Map.of("type", "image")
                            : Map.of("type", "text", "text", part.path("text").asText()));
                }
                content = parts;
            }
            messages.add(new ChatTemplate.Message(m.path("role").asText(), content));
        }
        List<PatchedImage> images = new ArrayList<>();
        for (JsonNode name : c.path("images")) {
            PatchedImage p = prepared.get(name.asText());
            if (p == null) throw new ModelException("case image " + name.asText() + " is not among the reference's images");
            images.add(p);
        }
        return engine.imageRequest(messages, images, maxNew, SamplingParams.GREEDY);
    }

    /** SHA-256 of the values as float32 little-endian, as reference.json records pixel values. */
    static String sha256(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return dev.nightshift.pipeline.core.Hashing.sha256(b.array());
    }

    /** Over the real patches only: padding is zeros on both sides. */
    private static double meanAbsoluteDifference(PatchedImage p, Path f32) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f32)).order(ByteOrder.LITTLE_ENDIAN);
            int n = Math.min(p.pixelValues().length, b.remaining() / Float.BYTES);
            int real = Math.min(n, p.patches() * (p.pixelValues().length / Math.max(1, p.positions().length / 2)));
            double sum = 0;
            for (int i = 0; i < real; i++) sum += Math.abs(p.pixelValues()[i] - b.getFloat(i * Float.BYTES));
            return real == 0 ? 0 : sum / real;
        } catch (IOException e) {
            throw new ModelException("cannot read " + f32 + ": " + e.getMessage(), e);
        }
    }
}

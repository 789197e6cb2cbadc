package dev.nightshift.pipeline.llm;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nightshift.pipeline.llm.model.ModelException;
import dev.nightshift.pipeline.llm.vision.PatchedImage;
import dev.nightshift.pipeline.llm.vision.RgbImage;
import dev.nightshift.pipeline.llm.vision.VisionConfig;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Gemma 4's vision encoder: pictures in, one feature row per soft token out, to be put over the image
 * tokens' embeddings at prefill (the contract in pipeline/README.md).
 */
final class VisionEncoder implements AutoCloseable {
    private final ModelSession timing;
    private final OrtSession session;
    private final VisionConfig config;
    private final String pixelName;
    private final String positionName;

    /** @param timing the text session, whose clock the encoder's runs are added to */
    VisionEncoder(ModelSession timing, OrtSession session, VisionConfig config) {
        this.timing = timing;
        this.session = session;
        this.config = config;
        Map<String, NodeInfo> inputs;
        try {
            inputs = session.getInputInfo();
        } catch (OrtException e) {
            throw new ModelException("cannot read the vision encoder's inputs: " + e.getMessage(), e);
        }
        this.pixelName = inputs.containsKey("pixel_values") ? "pixel_values" : null;
        this.positionName = inputs.keySet().stream().filter(k -> !k.equals("pixel_values")).findFirst().orElse(null);
        if (pixelName == null || positionName == null || inputs.size() != 2) {
            throw new ModelException("the vision encoder takes " + inputs.keySet() + "; expected pixel_values and patch positions");
        }
    }

    VisionConfig config() {
        return config;
    }

    /** An image prepared as this encoder takes it. */
    PatchedImage prepare(RgbImage image) {
        return PatchedImage.of(image, config.processor());
    }

    /**
     * Runs the encoder on images at once: pixel_values [n, maxPatches, patch*patch*3] and their patch
     * positions [n, maxPatches, 2] -> features [soft tokens of all images, hidden] (padding already
     * dropped by the graph), returned per image.
     */
    List<ImageFeatures> encode(List<PatchedImage> images) {
        if (images.isEmpty()) return List.of();
        int n = images.size();
        int maxPatches = config.processor().maxPatches();
        int values = config.processor().patchValues();
        FloatBuffer pixels = ByteBuffer.allocateDirect(n * maxPatches * values * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        LongBuffer positions = ByteBuffer.allocateDirect(n * maxPatches * 2 * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        for (PatchedImage p : images) {
            pixels.put(p.pixelValues());
            positions.put(p.positions());
        }
        try (OnnxTensor pv = OnnxTensor.createTensor(timing.env(), pixels.rewind(), new long[] {n, maxPatches, values});
             OnnxTensor pos = OnnxTensor.createTensor(timing.env(), positions.rewind(), new long[] {n, maxPatches, 2});
             OrtSession.Result result = timing.timedRun(session, Map.of(pixelName, pv, positionName, pos), null)) {
            OnnxTensor features = (OnnxTensor) result.get(0);
            long[] shape = features.getInfo().getShape(); // [tokens, hidden]
            int total = images.stream().mapToInt(PatchedImage::softTokens).sum();
            if (shape.length != 2 || shape[0] != total) {
                throw new ModelException("the vision encoder returned " + Arrays.toString(shape) + " for " + total + " soft tokens");
            }
            int hidden = (int) shape[1];
            FloatBuffer all = features.getFloatBuffer();
            List<ImageFeatures> out = new ArrayList<>(n);
            for (PatchedImage p : images) {
                float[] rows = new float[p.softTokens() * hidden];
                all.get(rows);
                out.add(new ImageFeatures(rows, hidden));
            }
            return out;
        } catch (OrtException e) {
            throw new ModelException("the vision encoder failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ModelException("cannot close the vision encoder: " + e.getMessage(), e);
        }
    }
}

package dev.nightshift.pipeline.llm.graph;

import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.Kernels;
import dev.nightshift.pipeline.llm.TestModels;
import dev.nightshift.pipeline.llm.model.ModelException;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LastPositionPatchTest {
    static final Path GEMMA3 = TestModels.path("tiny-gemma3");

    /**
     * Each row's logits at its own last real token, bit for bit, whether the batch is left-padded (every
     * row ends at the last position) or right-aligned (a row's padding follows its tokens, as the fused
     * exports need), in both export families.
     */
    @Test
    void thePatchedGraphGivesEachRowsLastRealTokenOfTheFullLogitsBitForBit() throws Exception {
        long[][] leftPadded = {{1, 1, 1, 1, 1}, {0, 0, 1, 1, 1}};
        long[][] rightAligned = {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}};
        for (String file : List.of("tiny-gemma3/onnx/model.onnx", "tiny-gemma3/onnx/model_q4.onnx", "tiny-gemma3-gqa/onnx/model.onnx")) {
            Path graph = TestModels.path(file.substring(0, file.indexOf('/'))).resolve(file.substring(file.indexOf('/') + 1));
            byte[] original = Files.readAllBytes(graph);
            LastPositionPatch.Result patched = LastPositionPatch.apply(original);
            assertThat(patched.applied()).as(file).isTrue();

            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.addConfigEntry("session.model_external_initializers_file_folder_path", graph.getParent().toString());
                try (OrtSession full = env.createSession(graph.toString(), new OrtSession.SessionOptions());
                     OrtSession last = env.createSession(patched.model(), options)) {
                    for (long[][] mask : List.of(leftPadded, rightAligned)) {
                        float[][] a = logits(env, full, mask); // [2 rows][5 positions x vocab]
                        float[][] b = logits(env, last, mask); // [2 rows][1 position x vocab]
                        int vocab = b[0].length;
                        assertThat(a[0].length).isEqualTo(5 * vocab);
                        for (int row = 0; row < 2; row++) {
                            int lastOne = 4;
                            while (mask[row][lastOne] == 0) lastOne--;
                            assertThat(b[row]).as(file + " row " + row + " mask " + Arrays.toString(mask[row]))
                                    .isEqualTo(Arrays.copyOfRange(a[row], lastOne * vocab, (lastOne + 1) * vocab));
                        }
                    }
                }
            }
        }
    }

    @Test
    void aPatchedGraphIsNotPatchedAgainAndOtherGraphsAreLeftAlone() throws Exception {
        byte[] once = LastPositionPatch.apply(Files.readAllBytes(GEMMA3.resolve("onnx/model.onnx"))).model();
        LastPositionPatch.Result twice = LastPositionPatch.apply(once);
        assertThat(twice.applied()).isFalse();
        assertThat(twice.model()).isSameAs(once);
        // Gemma 4's embedding graph has no logits at all.
        byte[] embed = Files.readAllBytes(TestModels.path("tiny-gemma4").resolve("onnx/embed_tokens.onnx"));
        assertThat(LastPositionPatch.apply(embed).applied()).isFalse();
        // Gemma 4's decoder soft-caps its logits (Div, Tanh, Mul after the output layer): reached through them.
        byte[] gemma4 = Files.readAllBytes(TestModels.path("tiny-gemma4").resolve("onnx/decoder_model_merged.onnx"));
        assertThat(LastPositionPatch.apply(gemma4).applied()).isTrue();
    }

    @Test
    void bytesThatAreNotAGraphAreRefusedClearly() {
        assertThatThrownBy(() -> LastPositionPatch.apply(new byte[] {0x3a, 0x7f, 1, 2})).isInstanceOf(ModelException.class);
    }

    /** One prefill of two rows of 5 slots under {@code ones} with an empty cache; each row's logits flattened. */
    private static float[][] logits(OrtEnvironment env, OrtSession session, long[][] ones) throws Exception {
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            long[][] ids = {{2, 10, 20, 30, 40}, {2, 11, 21, 31, 41}};
            long[][] positions = new long[2][5];
            for (int r = 0; r < 2; r++) {
                for (int t = 0, p = 0; t < 5; t++) positions[r][t] = ones[r][t] == 1 ? p++ : 1;
            }
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                String name = e.getKey();
                OnnxTensor t;
                if (name.equals("input_ids")) t = OnnxTensor.createTensor(env, ids);
                else if (name.equals("attention_mask")) t = OnnxTensor.createTensor(env, ones);
                else if (name.equals("position_ids")) t = OnnxTensor.createTensor(env, positions);
                else {
                    long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape(); // [batch, heads, past, dim]
                    t = OnnxTensor.createTensor(env, FloatBuffer.allocate(0), new long[] {2, shape[1], 0, shape[3]});
                }
                owned.add(t);
                inputs.put(name, t);
            }
            try (OrtSession.Result result = session.run(inputs, java.util.Set.of("logits"))) {
                float[][][] l = (float[][][]) result.get(0).getValue();
                float[][] rows = new float[2][];
                for (int r = 0; r < 2; r++) {
                    int vocab = l[r][0].length;
                    rows[r] = new float[l[r].length * vocab];
                    for (int p = 0; p < l[r].length; p++) System.arraycopy(l[r][p], 0, rows[r], p * vocab, vocab);
                }
                return rows;
            }
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }
}

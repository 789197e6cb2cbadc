package dev.nightshift.pipeline.llm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys and values that a fused-attention graph reads and writes in place. One direct buffer per KV input,
 * [rows, kvHeads, capacity, headDim], owned here and reused from step to step and from batch to batch;
 * a step's view of some rows is fed as {@code past_key_values.*} and bound as {@code present.*} too, so
 * ONNX Runtime's {@code GroupQueryAttention} sees the two share one buffer and writes each row's new
 * keys and values at that row's own length (right-aligned rows) instead of copying the whole past into a
 * new present every step.
 *
 * <p>Why: with a copying cache every step moves rows x length x (layers x 2 x heads x headDim) floats:
 * at 8 rows of 1,500 tokens of Gemma 3 270M that is 440 MB a step, more than the step's own work, and
 * joining or leaving a batch copies it all once more. In place, a step writes one position per row, a
 * row joins by being prefilled straight into its rows, and a row leaves by the last row moving into its
 * place.
 *
 * <p>The buffers grow (rows or capacity) when a batch needs more and never shrink; their size is bounded
 * by the generator's KV budget.
 */
final class KvArena implements AutoCloseable {
    private final OrtEnvironment env;
    private final List<KvSlot> slots;
    private ByteBuffer[] buffers;
    private int rows;
    private int capacity;

    KvArena(OrtEnvironment env, List<KvSlot> slots) {
        this.env = env;
        this.slots = slots;
        this.buffers = new ByteBuffer[slots.size()];
    }

    /** Positions a row can hold. */
    int capacity() {
        return capacity;
    }

    /** Bytes of one row of one slot: [kvHeads, capacity, headDim]. */
    private long rowBytes(KvSlot slot, int positions) {
        return slot.kvHeads() * positions * slot.headDim() * slot.bytesPerElement();
    }

    /**
     * Makes room for {@code needRows} rows of {@code needPositions} positions, keeping the first
     * {@code keepRows} rows' contents. Grows by half again at least, so that a slowly growing batch
     * does not copy at every join.
     */
    void ensure(int needRows, int needPositions, int keepRows) {
        if (needRows <= rows && needPositions <= capacity) return;
        int newRows = Math.max(rows, needRows);
        int newCapacity = needPositions <= capacity ? capacity : Math.max(needPositions, capacity + capacity / 2);
        ByteBuffer[] grown = new ByteBuffer[slots.size()];
        for (int s = 0; s < slots.size(); s++) {
            KvSlot slot = slots.get(s);
            long bytes = newRows * rowBytes(slot, newCapacity);
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("keys and values of " + newRows + " rows x " + newCapacity
                        + " positions do not fit one buffer; use a smaller --batch or --kv-memory");
            }
            grown[s] = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
            if (buffers[s] == null) continue;
            // Each row's heads: [capacity, headDim] blocks move to the start of [newCapacity, headDim] blocks.
            int block = (int) (capacity * slot.headDim() * slot.bytesPerElement());
            int newBlock = (int) (newCapacity * slot.headDim() * slot.bytesPerElement());
            for (int r = 0; r < keepRows; r++) {
                for (int h = 0; h < slot.kvHeads(); h++) {
                    int from = (int) ((r * slot.kvHeads() + h) * block);
                    int to = (int) ((r * slot.kvHeads() + h) * newBlock);
                    grown[s].put(to, buffers[s], from, block);
                }
            }
        }
        buffers = grown;
        rows = newRows;
        capacity = newCapacity;
    }

    /** Copies row {@code from}'s first {@code positions} positions over row {@code to} (a row leaving: the last one takes its place). */
    void move(int from, int to, int positions) {
        for (int s = 0; s < slots.size(); s++) {
            KvSlot slot = slots.get(s);
            int block = (int) (capacity * slot.headDim() * slot.bytesPerElement());
            int used = (int) (positions * slot.headDim() * slot.bytesPerElement());
            for (int h = 0; h < slot.kvHeads(); h++) {
                buffers[s].put((int) ((to * slot.kvHeads() + h) * (long) block), buffers[s],
                        (int) ((from * slot.kvHeads() + h) * (long) block), used);
            }
        }
    }

    /**
     * Rows [first, first + count) as one pass's keys and values: the same tensors as past and present,
     * [count, kvHeads, capacity, headDim]. Close it after the pass (the tensors are views, the data stays).
     *
     * @param length the positions the rows' past covers (the mask's width before the pass)
     */
    View view(int first, int count, long length) throws OrtException {
        return new View(first, count, length);
    }

    /** Some rows of the arena, as one pass reads and writes them. */
    final class View implements KvState, AutoCloseable {
        private final Map<String, OnnxTensor> past = new LinkedHashMap<>();
        private final Map<String, OnnxTensor> present = new LinkedHashMap<>();
        private final List<OnnxTensor> tensors = new ArrayList<>();
        private long length;

        private View(int first, int count, long length) throws OrtException {
            if (first < 0 || count < 1 || first + count > rows) {
                throw new IllegalArgumentException("rows [" + first + ", " + (first + count) + ") of " + rows);
            }
            this.length = length;
            try {
                for (int s = 0; s < slots.size(); s++) {
                    KvSlot slot = slots.get(s);
                    long row = rowBytes(slot, capacity);
                    ByteBuffer rowsOf = buffers[s].duplicate().position((int) (first * row)).limit((int) ((first + count) * row))
                            .slice().order(ByteOrder.nativeOrder());
                    OnnxTensor t = OnnxTensor.createTensor(env, rowsOf, new long[] {count, slot.kvHeads(), capacity, slot.headDim()}, slot.type());
                    tensors.add(t);
                    past.put(slot.pastName(), t);
                    present.put(slot.presentName(), t);
                }
            } catch (OrtException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public Map<String, OnnxTensor> past() {
            return past;
        }

        @Override
        public Map<String, OnnxTensor> present() {
            return present;
        }

        /** The pass wrote into the views; the result holds nothing else to keep. */
        @Override
        public void advance(OrtSession.Result result, long newLength) {
            result.close();
            length = newLength;
        }

        @Override
        public void close() {
            tensors.forEach(OnnxTensor::close);
            tensors.clear();
        }
    }

    /** The buffers are the JVM's (direct memory, freed when unreachable); nothing native to release. */
    @Override
    public void close() {
        buffers = new ByteBuffer[slots.size()];
        rows = 0;
        capacity = 0;
    }
}

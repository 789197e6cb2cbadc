package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.model.ModelException;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
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
 * The past keys and values of a batch. It starts as empty tensors [batch, kvHeads, 0, headDim]; after
 * each step it holds the {@code present.*} tensors of that step's result, handed back to the graph
 * unchanged as the next {@code past_key_values.*}. Nothing is copied through Java: the cache owns the
 * result that owns the tensors, and closes it once the next step has produced its successor.
 */
final class KvCache implements KvState, AutoCloseable {
    private final List<KvSlot> slots;
    private final List<OnnxTensor> empties = new ArrayList<>();
    private final Map<String, OnnxTensor> past = new LinkedHashMap<>();
    /** Tensors the cache made itself (after {@link #keepRows}); closed once the next step has replaced them. */
    private final List<OnnxTensor> made = new ArrayList<>();
    private OrtSession.Result owner;
    private long length;

    KvCache(OrtEnvironment env, List<KvSlot> slots, int batch) throws OrtException {
        this.slots = slots;
        try {
            for (KvSlot slot : slots) {
                long[] shape = {batch, slot.kvHeads(), 0, slot.headDim()};
                OnnxTensor empty = OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()),
                        shape, slot.type());
                empties.add(empty);
                past.put(slot.pastName(), empty);
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Sequence length the cache covers. */
    @Override
    public long length() {
        return length;
    }

    /** The past tensors by input name, for the next run. */
    @Override
    public Map<String, OnnxTensor> past() {
        return past;
    }

    /** None: the graph allocates its presents, which become the next past. */
    @Override
    public Map<String, OnnxTensor> present() {
        return Map.of();
    }

    /** Takes the presents of {@code result} as the new past; the previous result is closed. */
    @Override
    public void advance(OrtSession.Result result, long newLength) {
        Map<String, OnnxTensor> next = new LinkedHashMap<>();
        for (KvSlot slot : slots) {
            OnnxValue present = result.get(slot.presentName())
                    .orElseThrow(() -> new ModelException("the graph did not return " + slot.presentName()));
            next.put(slot.pastName(), (OnnxTensor) present);
        }
        OrtSession.Result previous = owner;
        owner = result;
        past.clear();
        past.putAll(next);
        length = newLength;
        if (previous != null) previous.close();
        made.forEach(OnnxTensor::close);
        made.clear();
    }

    /**
     * Keeps only the given rows of the batch, in that order, and of each only the slots [from, to): past
     * tensors [batch, kvHeads, length, headDim] become [rows.length, kvHeads, to - from, headDim]. Used to
     * stop spending compute on rows that have finished generating, and on slots that are padding for
     * every remaining row (rows that joined late are padded to the batch's length; once the rows that
     * needed those slots have left, nothing reads them, but each step would still attend over them and
     * copy them).
     */
    void keep(OrtEnvironment env, int[] rows, int from, int to) throws OrtException {
        if (from < 0 || to > length || from > to) throw new IllegalArgumentException("cannot keep slots [" + from + ", " + to + ") of " + length);
        rebuild(env, slot -> {
            OnnxTensor tensor = past.get(slot.pastName());
            long[] shape = tensor.getInfo().getShape();
            ByteBuffer all = tensor.getByteBuffer(); // a copy of the native data
            int heads = (int) shape[1];
            int dim = (int) shape[3];
            int element = slot.bytesPerElement();
            int fromBlock = (int) shape[2] * dim * element; // one head of one row
            int keptBlock = (to - from) * dim * element;
            ByteBuffer kept = ByteBuffer.allocateDirect(keptBlock * heads * rows.length).order(ByteOrder.nativeOrder());
            for (int r : rows) {
                for (int h = 0; h < heads; h++) {
                    int start = (r * heads + h) * fromBlock + from * dim * element;
                    kept.put(all.duplicate().position(start).limit(start + keptBlock));
                }
            }
            return new Rebuilt(kept.flip(), new long[] {rows.length, heads, to - from, dim});
        });
        length = to - from;
    }

    /**
     * Joins the rows of {@code newcomer} to this batch as its last rows, padding whichever is shorter with
     * zeros along the length axis (the caller masks the padded slots): tensors [rows, kvHeads, T, headDim]
     * and [k, kvHeads, P, headDim] become [rows + k, kvHeads, max(T, P), headDim]. With {@code alignEnds}
     * the shorter side's slots move to the end (padding first), else they stay at the start. The
     * newcomer is closed.
     */
    void join(OrtEnvironment env, KvCache newcomer, boolean alignEnds) throws OrtException {
        rebuild(env, slot -> {
            long[] as = past.get(slot.pastName()).getInfo().getShape();
            long[] bs = newcomer.past.get(slot.pastName()).getInfo().getShape();
            int rows = (int) as[0];
            int added = (int) bs[0];
            int heads = (int) as[1];
            int dim = (int) as[3];
            int length = (int) Math.max(as[2], bs[2]);
            int element = slot.bytesPerElement();
            ByteBuffer joined = ByteBuffer.allocateDirect((rows + added) * heads * length * dim * element).order(ByteOrder.nativeOrder());
            copyRows(past.get(slot.pastName()).getByteBuffer(), rows, heads, (int) as[2], dim, element, joined, 0, length, alignEnds);
            copyRows(newcomer.past.get(slot.pastName()).getByteBuffer(), added, heads, (int) bs[2], dim, element, joined, rows, length, alignEnds);
            return new Rebuilt(joined, new long[] {rows + added, heads, length, dim});
        });
        length = Math.max(length, newcomer.length);
        newcomer.close();
    }

    /** A slot's new past: its data and shape. */
    private record Rebuilt(ByteBuffer data, long[] shape) {
    }

    @FunctionalInterface
    private interface SlotRebuild {
        Rebuilt apply(KvSlot slot) throws OrtException;
    }

    /**
     * Replaces every slot's past with a tensor made from {@code rebuild}; on failure nothing changes and
     * what was made is closed, on success what the cache held before is closed.
     */
    private void rebuild(OrtEnvironment env, SlotRebuild rebuild) throws OrtException {
        Map<String, OnnxTensor> next = new LinkedHashMap<>();
        List<OnnxTensor> created = new ArrayList<>();
        try {
            for (KvSlot slot : slots) {
                Rebuilt r = rebuild.apply(slot);
                OnnxTensor t = OnnxTensor.createTensor(env, r.data(), r.shape(), slot.type());
                created.add(t);
                next.put(slot.pastName(), t);
            }
        } catch (OrtException | RuntimeException e) {
            created.forEach(OnnxTensor::close);
            throw e;
        }
        if (owner != null) owner.close();
        owner = null;
        made.forEach(OnnxTensor::close);
        made.clear();
        made.addAll(created);
        past.clear();
        past.putAll(next);
    }

    /**
     * Copies rows [rows, heads, fromLength, dim] into {@code to} [.., heads, length, dim] from row
     * {@code firstRow} on, at the end of each row's slots ({@code alignEnds}) or at their start.
     */
    private static void copyRows(ByteBuffer from, int rows, int heads, int fromLength, int dim, int element,
                                 ByteBuffer to, int firstRow, int length, boolean alignEnds) {
        int block = fromLength * dim * element;
        int offset = alignEnds ? length - fromLength : 0;
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < heads; h++) {
                int source = (r * heads + h) * block;
                int target = (((firstRow + r) * heads + h) * length + offset) * dim * element;
                to.put(target, from, source, block);
            }
        }
    }

    @Override
    public void close() {
        if (owner != null) owner.close();
        owner = null;
        made.forEach(OnnxTensor::close);
        made.clear();
        empties.forEach(OnnxTensor::close);
        empties.clear();
        past.clear();
    }
}

package dev.nightshift.pipeline.llm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A native-order direct buffer that grows and hands out views from its start. ONNX Runtime reads and
 * writes direct buffers in place; reusing one avoids allocating native memory every step. A view is
 * valid until the next call to {@link #view}.
 */
final class DirectBuffer {
    private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

    /** A view of the first {@code bytes} bytes: position 0, limit {@code bytes}, native byte order. */
    ByteBuffer view(long bytes) {
        int size = Math.toIntExact(bytes);
        if (buffer.capacity() < size) {
            // Grow by at least half again, so a slowly growing mask does not reallocate every step.
            long grown = Math.max(size, buffer.capacity() + (long) buffer.capacity() / 2);
            buffer = ByteBuffer.allocateDirect((int) Math.min(grown, Integer.MAX_VALUE - 8));
        }
        return buffer.duplicate().clear().limit(size).slice().order(ByteOrder.nativeOrder());
    }
}

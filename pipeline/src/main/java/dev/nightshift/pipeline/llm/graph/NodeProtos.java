package dev.nightshift.pipeline.llm.graph;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.nightshift.pipeline.llm.graph.OnnxFields.*;

/** NodeProto and AttributeProto messages written as bytes, for the patches that add nodes to a graph. */
final class NodeProtos {
    private NodeProtos() {
    }

    /** NodeProto {op_type, name, inputs, outputs, attributes} in the default domain. */
    static byte[] node(String op, String name, String[] inputs, String[] outputs, byte[]... attributes) {
        return node(op, "", name, inputs, outputs, attributes);
    }

    /** NodeProto in {@code domain} ("" for the default one, e.g. {@code com.microsoft}). */
    static byte[] node(String op, String domain, String name, String[] inputs, String[] outputs, byte[]... attributes) {
        ByteArrayOutputStream node = new ByteArrayOutputStream();
        for (String input : inputs) Protobuf.writeString(node, NODE_INPUT, input);
        for (String output : outputs) Protobuf.writeString(node, NODE_OUTPUT, output);
        Protobuf.writeString(node, NODE_NAME, name);
        Protobuf.writeString(node, NODE_OP_TYPE, op);
        for (byte[] attribute : attributes) Protobuf.writeBytes(node, NODE_ATTRIBUTE, attribute);
        if (!domain.isEmpty()) Protobuf.writeString(node, NODE_DOMAIN, domain);
        return node.toByteArray();
    }

    /** AttributeProto {name, i, type INT}. */
    static byte[] intAttribute(String name, long value) {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        Protobuf.writeString(a, ATTRIBUTE_NAME, name);
        Protobuf.writeInt(a, ATTRIBUTE_I, value);
        Protobuf.writeInt(a, ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT);
        return a.toByteArray();
    }

    /** A Constant node: {@code output} = an int64 scalar ({@code vector} false) or a 1-element vector. */
    static byte[] int64Constant(String output, long value, boolean vector) {
        ByteArrayOutputStream tensor = new ByteArrayOutputStream();
        if (vector) Protobuf.writeInt(tensor, TENSOR_DIMS, 1);
        Protobuf.writeInt(tensor, TENSOR_DATA_TYPE, TENSOR_INT64);
        Protobuf.writeBytes(tensor, TENSOR_RAW_DATA, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        return tensorConstant(output, tensor.toByteArray());
    }

    /** A Constant node: {@code output} = an int64 vector of {@code values}. */
    static byte[] int64Constant(String output, long[] values) {
        ByteArrayOutputStream tensor = new ByteArrayOutputStream();
        Protobuf.writeInt(tensor, TENSOR_DIMS, values.length);
        Protobuf.writeInt(tensor, TENSOR_DATA_TYPE, TENSOR_INT64);
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) raw.putLong(v);
        Protobuf.writeBytes(tensor, TENSOR_RAW_DATA, raw.array());
        return tensorConstant(output, tensor.toByteArray());
    }

    private static byte[] tensorConstant(String output, byte[] tensor) {
        ByteArrayOutputStream attribute = new ByteArrayOutputStream();
        Protobuf.writeString(attribute, ATTRIBUTE_NAME, "value");
        Protobuf.writeBytes(attribute, ATTRIBUTE_T, tensor);
        Protobuf.writeInt(attribute, ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_TENSOR);
        return node("Constant", output, new String[0], new String[] {output}, attribute.toByteArray());
    }
}

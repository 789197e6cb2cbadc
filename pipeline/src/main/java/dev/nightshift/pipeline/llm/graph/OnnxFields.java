package dev.nightshift.pipeline.llm.graph;

/**
 * Field numbers of ONNX's protobuf messages (onnx.proto) that the graph patches read and write.
 */
final class OnnxFields {
    static final int MODEL_GRAPH = 7;
    static final int MODEL_OPSET_IMPORT = 8;
    static final int OPSET_DOMAIN = 1;
    static final int OPSET_VERSION = 2;
    static final int GRAPH_NODE = 1;
    static final int GRAPH_INITIALIZER = 5;
    static final int GRAPH_INPUT = 11;
    static final int NODE_INPUT = 1;
    static final int NODE_OUTPUT = 2;
    static final int NODE_NAME = 3;
    static final int NODE_OP_TYPE = 4;
    static final int NODE_ATTRIBUTE = 5;
    static final int NODE_DOMAIN = 7;
    static final int VALUE_INFO_NAME = 1;
    static final int ATTRIBUTE_NAME = 1;
    static final int ATTRIBUTE_I = 3;
    static final int ATTRIBUTE_T = 5;
    static final int ATTRIBUTE_INTS = 8;
    static final int ATTRIBUTE_TYPE = 20;
    /** AttributeProto.AttributeType values. */
    static final int ATTRIBUTE_TYPE_INT = 2;
    static final int ATTRIBUTE_TYPE_TENSOR = 4;
    static final int TENSOR_DIMS = 1;
    static final int TENSOR_DATA_TYPE = 2;
    static final int TENSOR_FLOAT_DATA = 4;
    static final int TENSOR_NAME = 8;
    static final int TENSOR_RAW_DATA = 9;
    static final int TENSOR_EXTERNAL_DATA = 13;
    static final int TENSOR_DATA_LOCATION = 14;
    /** StringStringEntryProto. */
    static final int ENTRY_KEY = 1;
    static final int ENTRY_VALUE = 2;
    /** TensorProto.DataType FLOAT and UINT8. */
    static final int TENSOR_FLOAT = 1;
    static final int TENSOR_UINT8 = 2;
    /** TensorProto.DataType INT64. */
    static final int TENSOR_INT64 = 7;

    private OnnxFields() {
    }
}

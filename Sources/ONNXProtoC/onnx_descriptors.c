/* Hand-written (not generated); see include/onnx_descriptors.h. */
#include "onnx_descriptors.h"

const ProtobufCMessageDescriptor *onnx_descriptor_model(void) { return &onnx__model_proto__descriptor; }
const ProtobufCMessageDescriptor *onnx_descriptor_graph(void) { return &onnx__graph_proto__descriptor; }
const ProtobufCMessageDescriptor *onnx_descriptor_node(void) { return &onnx__node_proto__descriptor; }
const ProtobufCMessageDescriptor *onnx_descriptor_attribute(void) { return &onnx__attribute_proto__descriptor; }
const ProtobufCMessageDescriptor *onnx_descriptor_tensor(void) { return &onnx__tensor_proto__descriptor; }
const ProtobufCMessageDescriptor *onnx_descriptor_sparse_tensor(void) { return &onnx__sparse_tensor_proto__descriptor; }
const ProtobufCMessageDescriptor *onnx_descriptor_function(void) { return &onnx__function_proto__descriptor; }
const ProtobufCMessageDescriptor *onnx_descriptor_training_info(void) { return &onnx__training_info_proto__descriptor; }

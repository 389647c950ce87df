/* Hand-written (not generated): the addresses of the generated message descriptors.
 * Swift imports a C `const` global as a value, so `withUnsafePointer(to:)` may point at
 * a temporary copy; these functions return the globals' real addresses, which the
 * nested descriptors' pointers compare equal to. */
#ifndef ONNX_DESCRIPTORS_H
#define ONNX_DESCRIPTORS_H

#include "onnx.pb-c.h"

const ProtobufCMessageDescriptor *onnx_descriptor_model(void);
const ProtobufCMessageDescriptor *onnx_descriptor_graph(void);
const ProtobufCMessageDescriptor *onnx_descriptor_node(void);
const ProtobufCMessageDescriptor *onnx_descriptor_attribute(void);
const ProtobufCMessageDescriptor *onnx_descriptor_tensor(void);
const ProtobufCMessageDescriptor *onnx_descriptor_sparse_tensor(void);
const ProtobufCMessageDescriptor *onnx_descriptor_function(void);
const ProtobufCMessageDescriptor *onnx_descriptor_training_info(void);

#endif

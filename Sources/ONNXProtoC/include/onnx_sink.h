/* Hand-written (not generated): a protobuf-c output buffer that streams packed bytes
 * to a file descriptor through a fixed-size staging buffer, so that encoding a model
 * never holds a second copy of it in memory. */
#ifndef ONNX_SINK_H
#define ONNX_SINK_H

#include <protobuf-c/protobuf-c.h>
#include <stdint.h>
#include <stddef.h>

typedef struct {
    ProtobufCBuffer base;   /* must stay first: protobuf-c calls base.append */
    int fd;
    int error;              /* errno of the first failed write, 0 when none */
    uint8_t *staging;
    size_t capacity;
    size_t used;
    uint64_t written;       /* bytes handed to write(2) so far */
} OnnxFileSink;

/* Prepares a sink writing to fd; staging must hold capacity bytes. */
void onnx_file_sink_init(OnnxFileSink *sink, int fd, uint8_t *staging, size_t capacity);

/* Writes what is staged; returns 0 or the errno of the first failure. */
int onnx_file_sink_flush(OnnxFileSink *sink);

/* Packs a message straight into the sink; returns the packed size. */
size_t onnx_pack_to_sink(const ProtobufCMessage *message, OnnxFileSink *sink);

#endif

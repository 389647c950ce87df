/* Hand-written (not generated); see include/onnx_sink.h. */
#include "onnx_sink.h"
#include <errno.h>
#include <string.h>
#include <unistd.h>

static void write_all(OnnxFileSink *s, const uint8_t *data, size_t len) {
    while (len > 0 && s->error == 0) {
        ssize_t n = write(s->fd, data, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            s->error = errno ? errno : EIO;
            return;
        }
        data += n;
        len -= (size_t)n;
        s->written += (uint64_t)n;
    }
}

static void sink_append(ProtobufCBuffer *buffer, size_t len, const uint8_t *data) {
    OnnxFileSink *s = (OnnxFileSink *)buffer;
    if (s->error != 0) return;
    if (len >= s->capacity) {          /* large payloads (tensor bytes) bypass staging */
        onnx_file_sink_flush(s);
        write_all(s, data, len);
        return;
    }
    if (s->used + len > s->capacity) onnx_file_sink_flush(s);
    memcpy(s->staging + s->used, data, len);
    s->used += len;
}

void onnx_file_sink_init(OnnxFileSink *sink, int fd, uint8_t *staging, size_t capacity) {
    sink->base.append = sink_append;
    sink->fd = fd;
    sink->error = 0;
    sink->staging = staging;
    sink->capacity = capacity;
    sink->used = 0;
    sink->written = 0;
}

int onnx_file_sink_flush(OnnxFileSink *sink) {
    if (sink->used > 0 && sink->error == 0) write_all(sink, sink->staging, sink->used);
    sink->used = 0;
    return sink->error;
}

size_t onnx_pack_to_sink(const ProtobufCMessage *message, OnnxFileSink *sink) {
    return protobuf_c_message_pack_to_buffer(message, &sink->base);
}

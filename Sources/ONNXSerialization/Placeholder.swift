import ONNX

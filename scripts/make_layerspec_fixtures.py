#!/usr/bin/env python3
"""Layer-spec fixtures (Fixtures/layerspec): small PyTorch networks, each written as
  NAME.layers.json   the spec (layerspec/1) that declares the network
  NAME.safetensors   its state_dict, safetensors
  NAME.pt            its state_dict, torch.save (zip format)
  NAME.x.npy         the input, float32
  NAME.output.npy    torch's output for it (model.eval(), torch.no_grad())
The seed and the torch, safetensors and numpy versions are written to VERSIONS.txt.

    python3 -m venv /tmp/venv-torch
    /tmp/venv-torch/bin/pip install torch==2.15.0 safetensors==0.8.0 numpy==2.4.6
    /tmp/venv-torch/bin/python scripts/make_layerspec_fixtures.py
"""
import json
import os
import platform

import numpy as np
import safetensors
import safetensors.torch
import torch
from torch import nn

SEED = 20261201
ROOT = os.path.join(os.path.dirname(__file__), "..", "Fixtures", "layerspec")


def randomize_norms(model):
    """Non-trivial running statistics and affine parameters, so that batch norm is
    tested with something other than mean 0, variance 1."""
    g = torch.Generator().manual_seed(SEED)
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.5)
            m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
            m.weight.data.copy_(torch.randn(m.num_features, generator=g) * 0.5 + 1)
            m.bias.data.copy_(torch.randn(m.num_features, generator=g) * 0.2)


class Residual(nn.Module):
    """conv1 -> bn1 -> relu -> block (Sequential conv, bn) -> add(block, relu) -> pool -> fc."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.block = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 5)

    def forward(self, x):
        a = self.relu(self.bn1(self.conv1(x)))
        b = self.block(a)
        return self.fc(torch.flatten(self.pool(b + a), 1))


def cases():
    mlp = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 16), nn.Tanh(), nn.Linear(16, 3))
    mlp_spec = [
        {"type": "Linear", "in_features": 12, "out_features": 32},
        {"type": "ReLU"},
        {"type": "Dropout", "p": 0.1},
        {"type": "Linear", "in_features": 32, "out_features": 16},
        {"type": "Tanh"},
        {"type": "Linear", "in_features": 16, "out_features": 3},
    ]
    yield "mlp", mlp, mlp_spec, {"x": ["batch", 12]}, (7, 12)

    cnn = nn.Sequential(
        nn.Conv2d(3, 6, 3, padding=1), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 8, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU6(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(8 * 2 * 2, 4))
    cnn_spec = [
        {"type": "Conv2d", "in_channels": 3, "out_channels": 6, "kernel_size": 3, "padding": 1},
        {"type": "BatchNorm2d", "num_features": 6},
        {"type": "ReLU"},
        {"type": "MaxPool2d", "kernel_size": 2},
        {"type": "Conv2d", "in_channels": 6, "out_channels": 8, "kernel_size": 3, "stride": 2, "padding": 1, "bias": False},
        {"type": "BatchNorm2d", "num_features": 8},
        {"type": "ReLU6"},
        {"type": "AvgPool2d", "kernel_size": 2},
        {"type": "Flatten"},
        {"type": "Linear", "in_features": 32, "out_features": 4},
    ]
    yield "cnn", cnn, cnn_spec, {"x": ["batch", 3, 16, 16]}, (2, 3, 16, 16)

    res = Residual()
    res_spec = [
        {"type": "Conv2d", "name": "conv1", "in_channels": 3, "out_channels": 8, "kernel_size": 3, "padding": 1},
        {"type": "BatchNorm2d", "name": "bn1", "num_features": 8},
        {"type": "ReLU", "name": "relu"},
        {"type": "Sequential", "name": "block", "layers": [
            {"type": "Conv2d", "in_channels": 8, "out_channels": 8, "kernel_size": 3, "padding": 1},
            {"type": "BatchNorm2d", "num_features": 8}]},
        {"type": "Add", "name": "sum", "inputs": ["block", "relu"]},
        {"type": "AdaptiveAvgPool2d", "name": "pool", "output_size": 1},
        {"type": "Flatten"},
        {"type": "Linear", "name": "fc", "in_features": 8, "out_features": 5},
    ]
    yield "residual", res, res_spec, {"x": ["batch", 3, 8, 8]}, (3, 3, 8, 8)

    conv1d = nn.Sequential(
        nn.Conv1d(4, 8, 5, padding=2, dilation=1), nn.BatchNorm1d(8), nn.LeakyReLU(0.05),
        nn.Conv1d(8, 8, 3, groups=2, padding=2, dilation=2), nn.GELU(), nn.MaxPool1d(2),
        nn.Conv1d(8, 6, 1), nn.SiLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(6, 2), nn.Softmax(dim=1))
    conv1d_spec = [
        {"type": "Conv1d", "in_channels": 4, "out_channels": 8, "kernel_size": 5, "padding": 2},
        {"type": "BatchNorm1d", "num_features": 8},
        {"type": "LeakyReLU", "negative_slope": 0.05},
        {"type": "Conv1d", "in_channels": 8, "out_channels": 8, "kernel_size": 3, "groups": 2, "padding": 2, "dilation": 2},
        {"type": "GELU"},
        {"type": "MaxPool1d", "kernel_size": 2},
        {"type": "Conv1d", "in_channels": 8, "out_channels": 6, "kernel_size": 1},
        {"type": "SiLU"},
        {"type": "AdaptiveAvgPool1d", "output_size": 1},
        {"type": "Flatten"},
        {"type": "Linear", "in_features": 6, "out_features": 2},
        {"type": "Softmax", "dim": 1},
    ]
    yield "conv1d", conv1d, conv1d_spec, {"x": ["batch", 4, 20]}, (3, 4, 20)

    acts = [nn.ELU(0.7), nn.SELU(), nn.CELU(1.3), nn.GELU(approximate="tanh"), nn.Mish(), nn.Sigmoid(), nn.Hardtanh(-0.5, 0.8),
            nn.Hardsigmoid(), nn.Hardswish(), nn.Softplus(beta=2.0, threshold=5.0), nn.Softsign(), nn.Threshold(0.1, -2.0),
            nn.LogSoftmax(dim=-1)]
    act_specs = [{"type": "ELU", "alpha": 0.7}, {"type": "SELU"}, {"type": "CELU", "alpha": 1.3}, {"type": "GELU", "approximate": "tanh"},
                 {"type": "Mish"}, {"type": "Sigmoid"}, {"type": "Hardtanh", "min_val": -0.5, "max_val": 0.8}, {"type": "Hardsigmoid"},
                 {"type": "Hardswish"}, {"type": "Softplus", "beta": 2.0, "threshold": 5.0}, {"type": "Softsign"},
                 {"type": "Threshold", "threshold": 0.1, "value": -2.0}, {"type": "LogSoftmax", "dim": -1}]
    # Each activation after its own Linear, so that every one sees a spread of values.
    layers, spec = [], []
    for a, s in zip(acts, act_specs):
        layers += [nn.Linear(6, 6), a]
        spec += [{"type": "Linear", "in_features": 6, "out_features": 6}, s]
    yield "activations", nn.Sequential(*layers), spec, {"x": ["batch", 6]}, (9, 6)


class LastStep(nn.Module):
    """A 2-layer batch-first LSTM whose last step feeds a linear layer."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 10, num_layers=2, batch_first=True)
        self.fc = nn.Linear(10, 3)

    def forward(self, x):
        return self.fc(self.lstm(x)[0][:, -1])


class BiGRU(nn.Module):
    """A bidirectional, sequence-first GRU averaged over time."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 8, bidirectional=True)
        self.fc = nn.Linear(16, 2)

    def forward(self, x):
        return self.fc(self.gru(x)[0].mean(dim=0))


class ReluRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(4, 6, nonlinearity="relu", batch_first=True, bias=False)

    def forward(self, x):
        return self.rnn(x)[0][:, -1]


class Encoder(nn.Module):
    """Embeddings through a 2-layer transformer encoder, averaged over the sequence."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(50, 16)
        layer = nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, dropout=0.0, batch_first=True, activation="gelu")
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.fc = nn.Linear(16, 3)

    def forward(self, x):
        return self.fc(self.encoder(self.emb(x)).mean(dim=1))


class Attend(nn.Module):
    """Sequence-first self-attention, then a norm-first encoder layer."""

    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(12, 3)
        self.block = nn.TransformerEncoderLayer(12, 2, dim_feedforward=24, dropout=0.0, norm_first=True)

    def forward(self, x):
        return self.block(self.attn(x, x, x, need_weights=False)[0])


def sequence_cases():
    yield "lstm", LastStep(), [
        {"type": "LSTM", "name": "lstm", "input_size": 6, "hidden_size": 10, "num_layers": 2, "batch_first": True},
        {"type": "Select", "dim": 1, "index": -1},
        {"type": "Linear", "name": "fc", "in_features": 10, "out_features": 3},
    ], {"x": ["batch", "steps", 6]}, (4, 7, 6), "float32"
    yield "bigru", BiGRU(), [
        {"type": "GRU", "name": "gru", "input_size": 5, "hidden_size": 8, "bidirectional": True},
        {"type": "Mean", "dim": 0},
        {"type": "Linear", "name": "fc", "in_features": 16, "out_features": 2},
    ], {"x": ["steps", "batch", 5]}, (6, 3, 5), "float32"
    yield "rnn", ReluRNN(), [
        {"type": "RNN", "name": "rnn", "input_size": 4, "hidden_size": 6, "nonlinearity": "relu", "batch_first": True, "bias": False},
        {"type": "Select", "dim": 1, "index": -1},
    ], {"x": ["batch", "steps", 4]}, (3, 5, 4), "float32"
    yield "transformer", Encoder(), [
        {"type": "Embedding", "name": "emb", "num_embeddings": 50, "embedding_dim": 16},
        {"type": "TransformerEncoder", "name": "encoder", "num_layers": 2, "enable_nested_tensor": False,
         "encoder_layer": {"d_model": 16, "nhead": 4, "dim_feedforward": 32, "dropout": 0.0, "batch_first": True, "activation": "gelu"}},
        {"type": "Mean", "dim": 1},
        {"type": "Linear", "name": "fc", "in_features": 16, "out_features": 3},
    ], {"x": ["batch", "tokens"]}, (3, 9), "int64"
    yield "attention", Attend(), [
        {"type": "MultiheadAttention", "name": "attn", "embed_dim": 12, "num_heads": 3},
        {"type": "TransformerEncoderLayer", "name": "block", "d_model": 12, "nhead": 2, "dim_feedforward": 24, "dropout": 0.0, "norm_first": True},
    ], {"x": ["steps", "batch", 12]}, (5, 2, 12), "float32"
    decoder = nn.Sequential(
        nn.Linear(8, 64), nn.ReLU(), nn.Unflatten(1, (4, 4, 4)),
        nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
        nn.ConvTranspose2d(3, 2, 4, stride=2, padding=1, groups=1, bias=False), nn.Sigmoid())
    yield "decoder", decoder, [
        {"type": "Linear", "in_features": 8, "out_features": 64},
        {"type": "ReLU"},
        {"type": "Unflatten", "dim": 1, "unflattened_size": [4, 4, 4]},
        {"type": "ConvTranspose2d", "in_channels": 4, "out_channels": 3, "kernel_size": 3, "stride": 2, "padding": 1, "output_padding": 1},
        {"type": "ReLU"},
        {"type": "ConvTranspose2d", "in_channels": 3, "out_channels": 2, "kernel_size": 4, "stride": 2, "padding": 1, "bias": False},
        {"type": "Sigmoid"},
    ], {"x": ["batch", 8]}, (2, 8), "float32"


class BilinearNet(nn.Module):
    """Two projections of one input combined by a bilinear layer, then RMS-normalised."""

    def __init__(self):
        super().__init__()
        self.a = nn.Linear(7, 6)
        self.b = nn.Linear(7, 5)
        self.bil = nn.Bilinear(6, 5, 4)
        self.norm = nn.RMSNorm(4)

    def forward(self, x):
        return self.norm(self.bil(self.a(x), self.b(x)))


class DecoderNet(nn.Module):
    """A decoder layer attending to a projection of its own input."""

    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(12, 12)
        self.dec = nn.TransformerDecoderLayer(12, 3, dim_feedforward=24, dropout=0.0, batch_first=True)

    def forward(self, x):
        return self.dec(x, self.proj(x))


class Bags(nn.Module):
    def __init__(self):
        super().__init__()
        self.bag = nn.EmbeddingBag(50, 8, mode="max")
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(self.bag(x))


class MaskedAttention(nn.Module):
    """Causal self-attention, then an encoder layer, both under a bool mask input."""

    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(12, 3)
        self.block = nn.TransformerEncoderLayer(12, 2, dim_feedforward=24, dropout=0.0)

    def forward(self, x, mask):
        return self.block(self.attn(x, x, x, attn_mask=mask, need_weights=False)[0], src_mask=mask)


def masked_cases():
    """Cases with a second graph input: (name, model, spec layers, inputs, x shape, extra inputs)."""
    steps = 5
    causal = np.triu(np.ones((steps, steps), dtype=bool), k=1)
    yield "masked_attention", MaskedAttention(), [
        {"type": "MultiheadAttention", "name": "attn", "embed_dim": 12, "num_heads": 3, "inputs": ["x", "x", "x", "mask"]},
        {"type": "TransformerEncoderLayer", "name": "block", "d_model": 12, "nhead": 2, "dim_feedforward": 24, "dropout": 0.0,
         "inputs": ["attn", "mask"]},
    ], {"x": ("float32", ["steps", "batch", 12]), "mask": ("bool", ["steps", "steps"])}, (steps, 2, 12), {"mask": causal}


class Functional(nn.Module):
    """The functional layers, chained: arithmetic, permutes, reshapes, reductions, stacking,
    slicing, chunking, then PReLU and Identity."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(6, 6)
        self.prelu = nn.PReLU()
        self.prelu.weight.data.fill_(0.3)

    def forward(self, x):
        lin = self.lin(x)                                  # [b, 4, 6]
        mul = (lin - x) * x
        div = mul / torch.sigmoid(x)
        mm = torch.matmul(div.permute(0, 2, 1), x)         # [b, 6, 6]
        cat = torch.cat([mm.transpose(1, 2), mm], dim=2)   # [b, 6, 12]
        view = cat.view(x.size(0), 6, 3, 4).unsqueeze(1).squeeze(1)
        mx = view.amax(dim=3, keepdim=True)                # [b, 6, 3, 1]
        sm = view.sum(dim=3)                               # [b, 6, 3]
        st = torch.stack([sm, sm * 0.5], dim=-1)           # [b, 6, 3, 2]
        sl = st[:, 1:5:2]                                  # [b, 2, 3, 2]
        ch = sl.chunk(2, dim=2)[1]                         # [b, 2, 1, 2]
        out = self.prelu(torch.flatten(ch, 1))             # [b, 4]
        return torch.cat([out, torch.flatten(mx, 1)], dim=1)


class Shapes(nn.Module):
    """1-d padding, a transposed 1-d convolution and instance norm, reshaped into 2-d for
    adaptive max pooling."""

    def __init__(self):
        super().__init__()
        self.pad = nn.ConstantPad1d((1, 2), 0.5)
        self.up = nn.ConvTranspose1d(3, 4, 3, stride=2)
        self.norm = nn.InstanceNorm1d(4, affine=True)
        self.pool = nn.AdaptiveMaxPool2d((1, 3))
        self.fc = nn.Linear(12, 2)

    def forward(self, x):
        y = self.norm(self.up(self.pad(x)))                # [b, 4, 27]
        y = self.pool(y.unflatten(2, (3, 9)))               # [b, 4, 1, 3]
        return self.fc(torch.flatten(y, 1))


class MeanSumBags(nn.Module):
    """EmbeddingBag in mean and sum mode over the same fixed-length bags."""

    def __init__(self):
        super().__init__()
        self.mean = nn.EmbeddingBag(50, 4, mode="mean")
        self.sum = nn.EmbeddingBag(50, 3, mode="sum")

    def forward(self, x):
        return torch.cat([self.mean(x), self.sum(x)], dim=1)


def functional_cases():
    with torch.no_grad():
        shapes = Shapes()
        shapes.norm.weight.copy_(torch.linspace(0.5, 1.5, 4))
        shapes.norm.bias.copy_(torch.linspace(-0.2, 0.2, 4))
    yield "functional", Functional(), [
        {"type": "Linear", "name": "lin", "in_features": 6, "out_features": 6},
        {"type": "Sub", "name": "sub", "inputs": ["lin", "x"]},
        {"type": "Mul", "name": "mul", "inputs": ["sub", "x"]},
        {"type": "Sigmoid", "name": "sigx", "inputs": ["x"]},
        {"type": "Div", "name": "div", "inputs": ["mul", "sigx"]},
        {"type": "Permute", "name": "perm", "dims": [0, 2, 1]},
        {"type": "MatMul", "name": "mm", "inputs": ["perm", "x"]},
        {"type": "Transpose", "name": "tr", "dim0": 1, "dim1": 2},
        {"type": "Concat", "name": "cat", "inputs": ["tr", "mm"], "dim": 2},
        {"type": "View", "name": "view0", "shape": ["batch", 6, 3, 4]},
        {"type": "Unsqueeze", "dim": 1},
        {"type": "Squeeze", "name": "view", "dim": 1},
        {"type": "Max", "name": "mx", "dim": 3, "keepdim": True},
        {"type": "Sum", "name": "sm", "dim": 3, "inputs": ["view"]},
        {"type": "Scale", "name": "half", "value": 0.5},
        {"type": "Stack", "name": "st", "inputs": ["sm", "half"], "dim": -1},
        {"type": "Slice", "name": "sl", "dim": 1, "start": 1, "end": 5, "step": 2},
        {"type": "Chunk", "name": "ch", "chunks": 2, "dim": 2, "index": 1},
        {"type": "Flatten"},
        {"type": "PReLU", "name": "prelu"},
        {"type": "Identity", "name": "out"},
        {"type": "Flatten", "name": "mxflat", "inputs": ["mx"]},
        {"type": "Concat", "inputs": ["out", "mxflat"], "dim": 1},
    ], {"x": ["batch", 4, 6]}, (3, 4, 6), "float32"
    yield "shapes", shapes, [
        {"type": "ConstantPad1d", "name": "pad", "padding": [1, 2], "value": 0.5},
        {"type": "ConvTranspose1d", "name": "up", "in_channels": 3, "out_channels": 4, "kernel_size": 3, "stride": 2},
        {"type": "InstanceNorm1d", "name": "norm", "num_features": 4, "affine": True},
        {"type": "Unflatten", "dim": 2, "unflattened_size": [3, 9]},
        {"type": "AdaptiveMaxPool2d", "name": "pool", "output_size": [1, 3]},
        {"type": "Flatten"},
        {"type": "Linear", "name": "fc", "in_features": 12, "out_features": 2},
    ], {"x": ["batch", 3, 10]}, (2, 3, 10), "float32"
    yield "bags_mean_sum", MeanSumBags(), [
        {"type": "EmbeddingBag", "name": "mean", "num_embeddings": 50, "embedding_dim": 4, "mode": "mean"},
        {"type": "EmbeddingBag", "name": "sum", "num_embeddings": 50, "embedding_dim": 3, "mode": "sum", "inputs": ["x"]},
        {"type": "Concat", "inputs": ["mean", "sum"], "dim": 1},
    ], {"x": ["batch", 6]}, (4, 6), "int64"


def more_cases():
    imaging = nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.GroupNorm(2, 8), nn.ReflectionPad2d((1, 1, 2, 0)), nn.InstanceNorm2d(8, affine=True),
        nn.ZeroPad2d(1), nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(8, 8, 3, stride=2), nn.PixelShuffle(2),
        nn.Upsample(size=(10, 12), mode="bilinear"), nn.ReplicationPad2d(1), nn.ConstantPad2d((0, 1, 0, 1), 0.5), nn.Hardswish())
    yield "imaging", imaging, [
        {"type": "Conv2d", "in_channels": 3, "out_channels": 8, "kernel_size": 3, "padding": 1},
        {"type": "GroupNorm", "num_groups": 2, "num_channels": 8},
        {"type": "ReflectionPad2d", "padding": [1, 1, 2, 0]},
        {"type": "InstanceNorm2d", "num_features": 8, "affine": True},
        {"type": "ZeroPad2d", "padding": 1},
        {"type": "Upsample", "scale_factor": 2, "mode": "nearest"},
        {"type": "Conv2d", "in_channels": 8, "out_channels": 8, "kernel_size": 3, "stride": 2},
        {"type": "PixelShuffle", "upscale_factor": 2},
        {"type": "Upsample", "size": [10, 12], "mode": "bilinear"},
        {"type": "ReplicationPad2d", "padding": 1},
        {"type": "ConstantPad2d", "padding": [0, 1, 0, 1], "value": 0.5},
        {"type": "Hardswish"},
    ], {"x": ["batch", 3, 6, 5]}, (2, 3, 6, 5), "float32"
    yield "bilinear", BilinearNet(), [
        {"type": "Linear", "name": "a", "in_features": 7, "out_features": 6},
        {"type": "Linear", "name": "b", "in_features": 7, "out_features": 5, "inputs": ["x"]},
        {"type": "Bilinear", "name": "bil", "in1_features": 6, "in2_features": 5, "out_features": 4, "inputs": ["a", "b"]},
        {"type": "RMSNorm", "name": "norm", "normalized_shape": 4},
    ], {"x": ["batch", 7]}, (5, 7), "float32"
    yield "decoder_layer", DecoderNet(), [
        {"type": "Linear", "name": "proj", "in_features": 12, "out_features": 12},
        {"type": "TransformerDecoderLayer", "name": "dec", "inputs": ["x", "proj"], "d_model": 12, "nhead": 3,
         "dim_feedforward": 24, "dropout": 0.0, "batch_first": True},
    ], {"x": ["batch", "steps", 12]}, (2, 4, 12), "float32"
    yield "bags", Bags(), [
        {"type": "EmbeddingBag", "name": "bag", "num_embeddings": 50, "embedding_dim": 8, "mode": "max"},
        {"type": "Linear", "name": "fc", "in_features": 8, "out_features": 2},
    ], {"x": ["batch", 5]}, (4, 5), "int64"


def write_case(index, name, model, layers, inputs, x, extra=None):
    """Saves one case: its spec (inputs: name -> (dtype, shape)), both weight files, the
    input(s) and torch's output, and its INDEX.json entry."""
    extra = extra or {}
    with torch.no_grad():
        y = model(torch.from_numpy(x), *[torch.from_numpy(v) for v in extra.values()]).numpy()
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    safetensors.torch.save_file(state, os.path.join(ROOT, f"{name}.safetensors"))
    torch.save(state, os.path.join(ROOT, f"{name}.pt"))
    spec = {"format": "layerspec/1", "name": name,
            "inputs": {k: {"dtype": d, "shape": v} for k, (d, v) in inputs.items()},
            "weights": f"{name}.safetensors", "layers": layers}
    with open(os.path.join(ROOT, f"{name}.layers.json"), "w") as fh:
        json.dump(spec, fh, indent=1)
        fh.write("\n")
    np.save(os.path.join(ROOT, f"{name}.x.npy"), x)
    for k, v in extra.items():
        np.save(os.path.join(ROOT, f"{name}.{k}.npy"), v)
    np.save(os.path.join(ROOT, f"{name}.output.npy"), y.astype(np.float32))
    entry = {"name": name, "input": next(iter(inputs)), "weights": [f"{name}.safetensors", f"{name}.pt"]}
    if extra:
        entry["extra_inputs"] = {k: f"{name}.{k}.npy" for k in extra}
    index.append(entry)


def main():
    os.makedirs(ROOT, exist_ok=True)
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    index = []

    def single_input(cases):
        for name, model, layers, inputs, shape, dtype in cases:
            randomize_norms(model)
            model.eval()
            if dtype == "int64":
                x = rng.integers(0, 50, size=shape).astype(np.int64)
            else:
                x = (rng.standard_normal(shape) * 1.5).astype(np.float32)
            write_case(index, name, model, layers, {k: (dtype, v) for k, v in inputs.items()}, x)

    single_input([c + ("float32",) for c in cases()] + list(sequence_cases()) + list(more_cases()))
    for name, model, layers, inputs, shape, extra in masked_cases():
        model.eval()
        write_case(index, name, model, layers, inputs, (rng.standard_normal(shape) * 1.5).astype(np.float32), extra)
    # Generated after the cases above, so that adding them changed none of the earlier files.
    single_input(functional_cases())
    with open(os.path.join(ROOT, "INDEX.json"), "w") as fh:
        json.dump(index, fh, indent=1)
        fh.write("\n")
    with open(os.path.join(ROOT, "VERSIONS.txt"), "w") as fh:
        fh.write(f"torch {torch.__version__}\nsafetensors {safetensors.__version__}\nnumpy {np.__version__}\n"
                 f"python {platform.python_version()}\nseed {SEED}\n"
                 "made by scripts/make_layerspec_fixtures.py\n")


if __name__ == "__main__":
    main()

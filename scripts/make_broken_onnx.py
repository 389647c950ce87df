#!/usr/bin/env python3
"""Writes the checker's model corpus:

  Fixtures/onnx/broken/<name>.onnx   one small model per structural rule (plus variants),
                                     each with exactly one defect
  Fixtures/onnx/broken/MANIFEST.tsv  file <TAB> expected CheckerRule raw value <TAB>
                                     first line of onnx.checker's message
  Fixtures/onnx/valid/<name>.onnx    small models that pass onnx.checker full_check

Made with onnx 1.23.2 and numpy 2.4.6 (the versions are also recorded in the manifest's
first line). Every broken model is ASSERTED to be rejected by
onnx.checker.check_model(model, full_check=False) and every valid one to pass with
full_check=True; a case onnx accepts stops the script.

Usage: python3 scripts/make_broken_onnx.py [repo-root]   (default: the script's parent)
Output is deterministic: the same onnx version writes byte-identical files.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h

IR = 10
OPSET = 21


def vi(name, elem=T.FLOAT, shape=(2,)):
    return h.make_tensor_value_info(name, elem, list(shape) if shape is not None else None)


X, Y = vi("X"), vi("Y")


def model(nodes, inputs=None, outputs=None, inits=(), opset=(("", OPSET),), ir=IR,
          functions=(), sparse=(), name="main"):
    g = h.make_graph(nodes, name, [X] if inputs is None else inputs,
                     [Y] if outputs is None else outputs, initializer=list(inits),
                     sparse_initializer=list(sparse))
    m = h.make_model(g, opset_imports=[h.make_opsetid(d, v) for d, v in opset],
                     functions=list(functions), producer_name="make_broken_onnx")
    m.ir_version = ir
    return m


def neg(i, o, name=None):
    return h.make_node("Neg", [i], [o], name=name or f"neg_{o}")


def if_model(then_nodes, then_out, outer_nodes_after=(), then_out_type=True):
    """An If whose then-branch is given; the else-branch is Identity(X)."""
    tg = h.make_graph(then_nodes, "then_g", [], [vi(then_out) if then_out_type else onnx.ValueInfoProto(name=then_out)])
    eg = h.make_graph([h.make_node("Identity", ["X"], ["e"], name="id_e")], "else_g", [], [vi("e")])
    node = h.make_node("If", ["B"], ["Y"], name="if_0", then_branch=tg, else_branch=eg)
    return model([node, *outer_nodes_after], inputs=[X, vi("B", T.BOOL, ())])


def function(name, inputs, outputs, nodes, opset=(("", OPSET),), domain="local", attributes=()):
    return h.make_function(domain, name, inputs, outputs, nodes,
                           [h.make_opsetid(d, v) for d, v in opset], attributes=list(attributes))


def call(op="F", domain="local"):
    return h.make_node(op, ["X"], ["Y"], name="call_" + op, domain=domain)


def floats(name, dims, values):
    return onnx.TensorProto(name=name, data_type=T.FLOAT, dims=dims, float_data=values)


# ---------------------------------------------------------------- broken models

def ir_version():
    m = model([neg("X", "Y")])
    m.ClearField("ir_version")
    return m


def ir_version_too_new():
    return model([neg("X", "Y")], ir=99)


def opset_import():
    m = model([neg("X", "Y")])
    del m.opset_import[:]
    return m


def opset_compatibility():
    body = [h.make_node("Reshape", ["a", "shape"], ["b"], name="reshape")]
    f = function("F", ["a", "shape"], ["b"], body, opset=(("", 19),))
    node = h.make_node("F", ["X", "S"], ["Y"], name="call_F", domain="local")
    return model([node], inputs=[X, vi("S", T.INT64, (1,))],
                 opset=(("", OPSET), ("local", 1)), functions=[f])


def metadata_props():
    m = model([neg("X", "Y")])
    h.set_model_props(m, {"a": "1"})
    m.metadata_props.add(key="a", value="2")
    return m


def required_field():
    return model([neg("X", "Y")], name="")


def required_field_op_type():
    return model([h.make_node("", ["X"], ["Y"], name="no_op")])


def value_info():
    return model([neg("X", "Y")], inputs=[onnx.ValueInfoProto(name="X")])


def value_info_no_shape():
    return model([neg("X", "Y")], inputs=[vi("X", shape=None)])


def ssa():
    return model([neg("X", "Y", "first"), h.make_node("Abs", ["X"], ["Y"], name="second")])


def ssa_subgraph():
    # A then-branch node output reuses the enclosing graph's input name.
    return if_model([neg("X", "X", "shadow")], "X")


def initializer_name():
    return model([h.make_node("Add", ["X", "W"], ["Y"], name="add")],
                 inits=[floats("W", [2], [1, 2]), floats("", [2], [3, 4])])


def initializer_name_ir3():
    return model([h.make_node("Add", ["X", "W"], ["Y"], name="add")],
                 inits=[floats("W", [2], [1, 2])], ir=3, opset=(("", 8),))


def topological_order():
    return model([neg("T", "Y", "late"), neg("X", "T", "early")])


def topological_order_subgraph():
    # The then-branch reads Z, which the enclosing graph computes after the If.
    m = if_model([neg("Z", "t", "use_z")], "t")
    m.graph.node.append(neg("X", "Z", "make_z"))
    m.graph.output.append(vi("Z"))
    return m


def undefined_input():
    return model([h.make_node("Add", ["X", "Q"], ["Y"], name="add")])


def undefined_input_subgraph():
    return if_model([neg("Q", "t", "use_q")], "t")


def graph_output():
    return model([neg("X", "Y")], outputs=[Y, vi("Z")])


def graph_output_subgraph():
    # A subgraph output must be computed in the subgraph, not be an outer value.
    return if_model([], "X")


def node_domain():
    return model([h.make_node("Foo", ["X"], ["Y"], name="foo", domain="com.example")])


def node_domain_function():
    f = function("F", ["a"], ["b"], [h.make_node("Bar", ["a"], ["b"], name="bar", domain="com.example")])
    return model([call()], opset=(("", OPSET), ("local", 1), ("com.example", 1)), functions=[f])


def unknown_op():
    return model([h.make_node("Frobnicate", ["X"], ["Y"], name="frob")])


def unknown_op_too_new():
    return model([h.make_node("Gelu", ["X"], ["Y"], name="gelu")], opset=(("", 13),))


def unknown_op_ml():
    return model([h.make_node("Frobnicate", ["X"], ["Y"], name="frob", domain="ai.onnx.ml")],
                 opset=(("", OPSET), ("ai.onnx.ml", 5)))


def deprecated_op():
    scales = floats("scales", [1], [2.0])
    return model([h.make_node("Upsample", ["X", "scales"], ["Y"], name="up")],
                 outputs=[vi("Y", shape=(4,))], inits=[scales], opset=(("", 10),))


def input_count():
    return model([h.make_node("Neg", ["X", "X"], ["Y"], name="neg2")])


def input_count_empty_required():
    return model([h.make_node("Add", ["X", ""], ["Y"], name="add")])


def output_count():
    return model([h.make_node("Neg", ["X"], ["Y", "Y2"], name="neg2")])


def output_count_batchnorm():
    p = [floats(n, [2], [1, 1]) for n in ("scale", "bias", "mean", "var")]
    x = vi("X", shape=(1, 2))
    node = h.make_node("BatchNormalization", ["X", "scale", "bias", "mean", "var"], ["Y", "m"],
                       name="bn")
    return model([node], inputs=[x], outputs=[vi("Y", shape=(1, 2))], inits=p, opset=(("", 15),))


def required_attribute():
    return model([h.make_node("Cast", ["X"], ["Y"], name="cast")])


def unknown_attribute():
    return model([h.make_node("Neg", ["X"], ["Y"], name="neg", alpha=1.0)])


def attribute_type():
    return model([h.make_node("Cast", ["X"], ["Y"], name="cast", to=1.0)])


def attribute_type_no_type():
    n = h.make_node("Cast", ["X"], ["Y"], name="cast", to=T.FLOAT)
    n.attribute[0].ClearField("type")
    return model([n])


def attribute_type_field_mismatch():
    n = h.make_node("Cast", ["X"], ["Y"], name="cast", to=T.FLOAT)
    n.attribute[0].ClearField("i")
    n.attribute[0].f = 1.0
    return model([n])


def duplicate_attribute():
    n = h.make_node("Cast", ["X"], ["Y"], name="cast", to=T.FLOAT)
    n.attribute.append(h.make_attribute("to", T.FLOAT))
    return model([n])


def tensor_data_type():
    t = floats("W", [2], [1, 2])
    t.data_type = 99
    return model([h.make_node("Add", ["X", "W"], ["Y"], name="add")], inits=[t])


def tensor_data_type_missing():
    t = floats("W", [2], [1, 2])
    t.ClearField("data_type")
    return model([h.make_node("Add", ["X", "W"], ["Y"], name="add")], inits=[t])


def tensor_data_size():
    t = onnx.TensorProto(name="W", data_type=T.FLOAT, dims=[2], raw_data=b"\x00\x00\x80\x3f")
    return model([h.make_node("Add", ["X", "W"], ["Y"], name="add")], inits=[t])


def tensor_data_size_typed():
    return model([h.make_node("Add", ["X", "W"], ["Y"], name="add")], inits=[floats("W", [2], [1])])


def tensor_data_size_attribute():
    t = onnx.TensorProto(name="c", data_type=T.FLOAT, dims=[2], raw_data=b"\x00\x00\x80\x3f")
    return model([h.make_node("Constant", [], ["Y"], name="const", value=t)], inputs=[])


def tensor_data_size_int4():
    # 5 int4 elements pack into 3 bytes, not 2.
    t = onnx.TensorProto(name="W", data_type=T.INT4, dims=[5], raw_data=b"\x21\x43")
    node = h.make_node("Cast", ["W"], ["Y"], name="cast", to=T.FLOAT)
    return model([node], inputs=[], outputs=[vi("Y", shape=(5,))], inits=[t])


def tensor_data_field():
    t = floats("W", [2], [1, 2])
    t.raw_data = np.array([1, 2], dtype="<f4").tobytes()
    return model([h.make_node("Add", ["X", "W"], ["Y"], name="add")], inits=[t])


def tensor_data_field_wrong_typed():
    t = onnx.TensorProto(name="S", data_type=T.INT64, dims=[1], int32_data=[2])
    return model([h.make_node("Reshape", ["X", "S"], ["Y"], name="reshape")], inits=[t])


def tensor_data_field_float6_padding():
    # One float6 element uses bits 0-5 of its byte; bits 6-7 must be zero.
    t = onnx.TensorProto(name="W", data_type=T.FLOAT6E2M3, dims=[1], raw_data=b"\xff")
    node = h.make_node("Cast", ["W"], ["Y"], name="cast", to=T.FLOAT)
    return model([node], inputs=[], outputs=[vi("Y", shape=(1,))], inits=[t])


def external_data():
    t = onnx.TensorProto(name="W", data_type=T.FLOAT, dims=[2], data_location=T.EXTERNAL)
    t.external_data.add(key="offset", value="0")
    return model([h.make_node("Add", ["X", "W"], ["Y"], name="add")], inits=[t])


def external_data_escape():
    t = onnx.TensorProto(name="W", data_type=T.FLOAT, dims=[2], data_location=T.EXTERNAL)
    t.external_data.add(key="location", value="../weights.bin")
    return model([h.make_node("Add", ["X", "W"], ["Y"], name="add")], inits=[t])


def sparse_tensor():
    values = floats("W", [2], [1, 2])
    indices = onnx.TensorProto(name="W_idx", data_type=T.INT64, dims=[2], int64_data=[1, 0])
    sp = h.make_sparse_tensor(values, indices, [2])
    return model([h.make_node("Add", ["X", "W"], ["Y"], name="add")], sparse=[sp])


def sparse_tensor_int32_indices():
    values = floats("W", [2], [1, 2])
    indices = onnx.TensorProto(name="W_idx", data_type=T.INT32, dims=[2], int32_data=[0, 1])
    sp = h.make_sparse_tensor(values, indices, [2])
    return model([h.make_node("Add", ["X", "W"], ["Y"], name="add")], sparse=[sp])


def local_function():
    f = function("F", ["a"], ["b"], [h.make_node("F", ["a"], ["b"], name="self_call", domain="local")],
                 opset=(("", OPSET), ("local", 1)))
    return model([call()], opset=(("", OPSET), ("local", 1)), functions=[f])


def local_function_duplicate():
    f = function("F", ["a"], ["b"], [neg("a", "b")])
    return model([call()], opset=(("", OPSET), ("local", 1)), functions=[f, f])


# (file stem, expected rule, builder); the stem is the rule, or rule-variant.
BROKEN = [
    ("ir-version", "ir-version", ir_version),
    ("ir-version-too-new", "ir-version", ir_version_too_new),
    ("opset-import", "opset-import", opset_import),
    ("opset-compatibility", "opset-compatibility", opset_compatibility),
    ("metadata-props", "metadata-props", metadata_props),
    ("required-field", "required-field", required_field),
    ("required-field-op-type", "required-field", required_field_op_type),
    ("value-info", "value-info", value_info),
    ("value-info-no-shape", "value-info", value_info_no_shape),
    ("ssa", "ssa", ssa),
    ("ssa-subgraph", "ssa", ssa_subgraph),
    ("initializer-name", "initializer-name", initializer_name),
    ("initializer-name-ir3", "initializer-name", initializer_name_ir3),
    ("topological-order", "topological-order", topological_order),
    ("topological-order-subgraph", "topological-order", topological_order_subgraph),
    ("undefined-input", "undefined-input", undefined_input),
    ("undefined-input-subgraph", "undefined-input", undefined_input_subgraph),
    ("graph-output", "graph-output", graph_output),
    ("graph-output-subgraph", "graph-output", graph_output_subgraph),
    ("node-domain", "node-domain", node_domain),
    ("node-domain-function", "node-domain", node_domain_function),
    ("unknown-op", "unknown-op", unknown_op),
    ("unknown-op-too-new", "unknown-op", unknown_op_too_new),
    ("unknown-op-ml", "unknown-op", unknown_op_ml),
    ("deprecated-op", "deprecated-op", deprecated_op),
    ("input-count", "input-count", input_count),
    ("input-count-empty-required", "input-count", input_count_empty_required),
    ("output-count", "output-count", output_count),
    ("output-count-batchnorm", "output-count", output_count_batchnorm),
    ("required-attribute", "required-attribute", required_attribute),
    ("unknown-attribute", "unknown-attribute", unknown_attribute),
    ("attribute-type", "attribute-type", attribute_type),
    ("attribute-type-no-type", "attribute-type", attribute_type_no_type),
    ("attribute-type-field-mismatch", "attribute-type", attribute_type_field_mismatch),
    ("duplicate-attribute", "duplicate-attribute", duplicate_attribute),
    ("tensor-data-type", "tensor-data-type", tensor_data_type),
    ("tensor-data-type-missing", "tensor-data-type", tensor_data_type_missing),
    ("tensor-data-size", "tensor-data-size", tensor_data_size),
    ("tensor-data-size-typed", "tensor-data-size", tensor_data_size_typed),
    ("tensor-data-size-attribute", "tensor-data-size", tensor_data_size_attribute),
    ("tensor-data-size-int4", "tensor-data-size", tensor_data_size_int4),
    ("tensor-data-field", "tensor-data-field", tensor_data_field),
    ("tensor-data-field-wrong-typed", "tensor-data-field", tensor_data_field_wrong_typed),
    ("tensor-data-field-float6-padding", "tensor-data-field", tensor_data_field_float6_padding),
    ("external-data", "external-data", external_data),
    ("external-data-escape", "external-data", external_data_escape),
    ("sparse-tensor", "sparse-tensor", sparse_tensor),
    ("sparse-tensor-int32-indices", "sparse-tensor", sparse_tensor_int32_indices),
    ("local-function", "local-function", local_function),
    ("local-function-duplicate", "local-function", local_function_duplicate),
]


# ---------------------------------------------------------------- valid models

def valid_add():
    w = h.make_tensor("W", T.FLOAT, [2], [0.5, -1.5])
    return model([h.make_node("Add", ["X", "W"], ["Y"], name="add")], inits=[w])


def valid_if_outer_scope():
    # Both branches read X from the enclosing graph.
    tg = h.make_graph([neg("X", "t", "neg_then")], "then_g", [], [vi("t")])
    eg = h.make_graph([h.make_node("Identity", ["X"], ["e"], name="id_else")], "else_g", [], [vi("e")])
    node = h.make_node("If", ["B"], ["Y"], name="if_0", then_branch=tg, else_branch=eg)
    return model([node], inputs=[X, vi("B", T.BOOL, ())])


def valid_ml_linear_regressor():
    node = h.make_node("LinearRegressor", ["X"], ["Y"], name="linreg", domain="ai.onnx.ml",
                       coefficients=[0.5, -1.0, 2.0], intercepts=[0.25])
    return model([node], inputs=[vi("X", shape=(1, 3))], outputs=[vi("Y", shape=(1, 1))],
                 opset=(("", OPSET), ("ai.onnx.ml", 1)))


def valid_local_function():
    body = [h.make_node("Mul", ["a", "a"], ["sq"], name="square"),
            h.make_node("Add", ["sq", "a"], ["b"], name="plus")]
    f = function("SquarePlus", ["a"], ["b"], body)
    return model([call("SquarePlus")], opset=(("", OPSET), ("local", 1)), functions=[f])


VALID = [
    ("add", valid_add),
    ("if_outer_scope", valid_if_outer_scope),
    ("ml_linear_regressor", valid_ml_linear_regressor),
    ("local_function", valid_local_function),
]


def first_line(e):
    text = str(e).strip()
    return text.splitlines()[0].strip() if text else type(e).__name__


def main(root):
    broken_dir = os.path.join(root, "Fixtures", "onnx", "broken")
    valid_dir = os.path.join(root, "Fixtures", "onnx", "valid")
    os.makedirs(broken_dir, exist_ok=True)
    os.makedirs(valid_dir, exist_ok=True)

    rows = []
    for stem, rule, build in BROKEN:
        m = build()
        try:
            onnx.checker.check_model(m, full_check=False)
        except onnx.checker.ValidationError as e:
            message = first_line(e)
        else:
            raise AssertionError(f"onnx.checker accepts the broken model {stem!r}")
        assert "\t" not in message and message, (stem, message)
        name = stem + ".onnx"
        with open(os.path.join(broken_dir, name), "wb") as f:
            f.write(m.SerializeToString(deterministic=True))
        rows.append(f"{name}\t{rule}\t{message}")

    with open(os.path.join(broken_dir, "MANIFEST.tsv"), "w", encoding="utf-8") as f:
        f.write(f"# made by scripts/make_broken_onnx.py with onnx {onnx.__version__}, numpy {np.__version__}; "
                "file<TAB>expected checker rule<TAB>onnx.checker message (first line)\n")
        f.write("\n".join(rows) + "\n")

    for stem, build in VALID:
        m = build()
        onnx.checker.check_model(m, full_check=True)
        with open(os.path.join(valid_dir, stem + ".onnx"), "wb") as f:
            f.write(m.SerializeToString(deterministic=True))

    print(f"wrote {len(BROKEN)} broken and {len(VALID)} valid models under {os.path.join(root, 'Fixtures', 'onnx')}")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.dirname(here))

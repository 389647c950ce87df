import CProtobufC
import ONNX
import ONNXProtoC
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Converts the structs that protobuf-c unpacked into the Swift IR. Bytes fields are not
// copied: their malloc'd buffers are handed to `ByteBuffer`s and the C pointers cleared,
// so that `protobuf_c_message_free_unpacked` frees everything else and nothing twice.

struct CDecoder {
    /// Swaps a raw_data marker left by `LargePayloadStripper` for the bytes it stands for.
    var payloadForMarker: ((ByteBuffer) -> ByteBuffer?)? = nil
    /// Decodes the repeated fields that `LargePayloadStripper` cut out of a message.
    var arrays: StrippedArrays? = nil
    /// When set, an attribute's cut arrays stay in the input (`DeferredAttributeArrays`),
    /// kept alive by this owner, instead of being decoded.
    var deferredArraysOwner: AnyObject? = nil

    func string(_ p: UnsafeMutablePointer<CChar>?) -> String? { p.map { String(cString: $0) } }

    func strings(_ n: Int, _ p: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> [String] {
        guard let p, n > 0 else { return [] }
        return (0..<n).map { p[$0].map { String(cString: $0) } ?? "" }
    }

    func array<T>(_ n: Int, _ p: UnsafeMutablePointer<T>?) -> [T] {
        guard let p, n > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: p, count: n))
    }

    func messages<C, S>(_ n: Int, _ p: UnsafeMutablePointer<UnsafeMutablePointer<C>?>?, _ f: (UnsafeMutablePointer<C>) -> S) -> [S] {
        guard let p, n > 0 else { return [] }
        var out: [S] = []
        out.reserveCapacity(n)
        for i in 0..<n { if let m = p[i] { out.append(f(m)) } }
        return out
    }

    /// Takes ownership of a bytes field's buffer.
    func take(_ bd: inout ProtobufCBinaryData) -> ByteBuffer {
        guard let d = bd.data, bd.len > 0 else { return ByteBuffer() }
        bd.data = nil
        let n = bd.len
        bd.len = 0
        return ByteBuffer(takingMallocated: UnsafeMutableRawPointer(d), count: n)
    }

    /// Takes a repeated bytes field. Equal short elements share one buffer: a tree
    /// ensemble's `nodes_modes` repeats a few words hundreds of thousands of times, and a
    /// buffer of its own per element cost about 100 bytes each (ten times the file). The
    /// C buffers of the repeats are freed at once; the values are unchanged.
    func takeAll(_ n: Int, _ p: UnsafeMutablePointer<ProtobufCBinaryData>?) -> [ByteBuffer] {
        guard let p, n > 0 else { return [] }
        var distinct: [ByteBuffer] = []
        var out: [ByteBuffer] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            let len = p[i].len
            if let d = p[i].data, len > 0, len <= 64,
               let same = distinct.first(where: { $0.count == len && memcmp($0.baseAddress!, d, len) == 0 }) {
                free(d)
                p[i].data = nil
                p[i].len = 0
                out.append(same)
                continue
            }
            let b = take(&p[i])
            if b.count > 0 && b.count <= 64 && distinct.count < 16 { distinct.append(b) }
            out.append(b)
        }
        return out
    }

    func unknown(_ base: inout ProtobufCMessage) -> [UnknownField] {
        guard base.n_unknown_fields > 0, let u = base.unknown_fields else { return [] }
        var out: [UnknownField] = []
        for i in 0..<Int(base.n_unknown_fields) {
            let wt = UnknownField.WireType(rawValue: UInt8(truncatingIfNeeded: u[i].wire_type.rawValue)) ?? .lengthPrefixed
            var payload = ByteBuffer()
            if let d = u[i].data, u[i].len > 0 {
                payload = ByteBuffer(takingMallocated: UnsafeMutableRawPointer(d), count: u[i].len)
                u[i].data = nil
                u[i].len = 0
            }
            out.append(UnknownField(number: u[i].tag, wireType: wt, payload: payload))
        }
        return out
    }

    func entries(_ n: Int, _ p: UnsafeMutablePointer<UnsafeMutablePointer<Onnx__StringStringEntryProto>?>?) -> [StringStringEntry] {
        messages(n, p) { m in
            var e = StringStringEntry(key: string(m.pointee.key), value: string(m.pointee.value))
            e.unknownFields = unknown(&m.pointee.base)
            return e
        }
    }

    func opsets(_ n: Int, _ p: UnsafeMutablePointer<UnsafeMutablePointer<Onnx__OperatorSetIdProto>?>?) -> [OperatorSetID] {
        messages(n, p) { m in
            var o = OperatorSetID(domain: string(m.pointee.domain), version: m.pointee.has_version != 0 ? m.pointee.version : nil)
            o.unknownFields = unknown(&m.pointee.base)
            return o
        }
    }

    func model(_ m: UnsafeMutablePointer<Onnx__ModelProto>) -> Model {
        var out = Model()
        let c = m
        out.irVersion = c.pointee.has_ir_version != 0 ? c.pointee.ir_version : nil
        out.opsetImport = opsets(c.pointee.n_opset_import, c.pointee.opset_import)
        out.producerName = string(c.pointee.producer_name)
        out.producerVersion = string(c.pointee.producer_version)
        out.domain = string(c.pointee.domain)
        out.modelVersion = c.pointee.has_model_version != 0 ? c.pointee.model_version : nil
        out.docString = string(c.pointee.doc_string)
        out.graph = c.pointee.graph.map(graph)
        out.metadataProps = entries(c.pointee.n_metadata_props, c.pointee.metadata_props)
        out.trainingInfo = messages(c.pointee.n_training_info, c.pointee.training_info, trainingInfo)
        out.functions = messages(c.pointee.n_functions, c.pointee.functions, function)
        out.configuration = messages(c.pointee.n_configuration, c.pointee.configuration) { d in
            var r = DeviceConfiguration()
            r.name = string(d.pointee.name)
            r.numDevices = d.pointee.has_num_devices != 0 ? d.pointee.num_devices : nil
            r.device = strings(d.pointee.n_device, d.pointee.device)
            r.unknownFields = unknown(&d.pointee.base)
            return r
        }
        out.unknownFields = unknown(&c.pointee.base)
        return out
    }

    func trainingInfo(_ t: UnsafeMutablePointer<Onnx__TrainingInfoProto>) -> TrainingInfo {
        var r = TrainingInfo()
        r.initialization = t.pointee.initialization.map(graph)
        r.algorithm = t.pointee.algorithm.map(graph)
        r.initializationBinding = entries(t.pointee.n_initialization_binding, t.pointee.initialization_binding)
        r.updateBinding = entries(t.pointee.n_update_binding, t.pointee.update_binding)
        r.unknownFields = unknown(&t.pointee.base)
        return r
    }

    func function(_ f: UnsafeMutablePointer<Onnx__FunctionProto>) -> Function {
        var r = Function(name: string(f.pointee.name), domain: string(f.pointee.domain))
        r.input = strings(f.pointee.n_input, f.pointee.input)
        r.output = strings(f.pointee.n_output, f.pointee.output)
        r.attribute = strings(f.pointee.n_attribute, f.pointee.attribute)
        r.attributeProto = messages(f.pointee.n_attribute_proto, f.pointee.attribute_proto, attribute)
        r.node = messages(f.pointee.n_node, f.pointee.node, node)
        r.docString = string(f.pointee.doc_string)
        r.opsetImport = opsets(f.pointee.n_opset_import, f.pointee.opset_import)
        r.overload = string(f.pointee.overload)
        r.valueInfo = messages(f.pointee.n_value_info, f.pointee.value_info, valueInfo)
        r.metadataProps = entries(f.pointee.n_metadata_props, f.pointee.metadata_props)
        r.unknownFields = unknown(&f.pointee.base)
        return r
    }

    func graph(_ g: UnsafeMutablePointer<Onnx__GraphProto>) -> Graph {
        var r = Graph(name: string(g.pointee.name))
        r.node = messages(g.pointee.n_node, g.pointee.node, node)
        r.initializer = messages(g.pointee.n_initializer, g.pointee.initializer, tensor)
        r.sparseInitializer = messages(g.pointee.n_sparse_initializer, g.pointee.sparse_initializer, sparseTensor)
        r.docString = string(g.pointee.doc_string)
        r.input = messages(g.pointee.n_input, g.pointee.input, valueInfo)
        r.output = messages(g.pointee.n_output, g.pointee.output, valueInfo)
        r.valueInfo = messages(g.pointee.n_value_info, g.pointee.value_info, valueInfo)
        r.quantizationAnnotation = messages(g.pointee.n_quantization_annotation, g.pointee.quantization_annotation) { a in
            var t = TensorAnnotation(tensorName: string(a.pointee.tensor_name))
            t.quantParameterTensorNames = entries(a.pointee.n_quant_parameter_tensor_names, a.pointee.quant_parameter_tensor_names)
            t.unknownFields = unknown(&a.pointee.base)
            return t
        }
        r.metadataProps = entries(g.pointee.n_metadata_props, g.pointee.metadata_props)
        r.unknownFields = unknown(&g.pointee.base)
        return r
    }

    func node(_ n: UnsafeMutablePointer<Onnx__NodeProto>) -> Node {
        var r = Node(opType: string(n.pointee.op_type), domain: string(n.pointee.domain))
        r.input = strings(n.pointee.n_input, n.pointee.input)
        r.output = strings(n.pointee.n_output, n.pointee.output)
        r.name = string(n.pointee.name)
        r.overload = string(n.pointee.overload)
        r.attribute = messages(n.pointee.n_attribute, n.pointee.attribute, attribute)
        r.docString = string(n.pointee.doc_string)
        r.metadataProps = entries(n.pointee.n_metadata_props, n.pointee.metadata_props)
        r.deviceConfigurations = messages(n.pointee.n_device_configurations, n.pointee.device_configurations, nodeDeviceConfiguration)
        r.unknownFields = unknown(&n.pointee.base)
        return r
    }

    func nodeDeviceConfiguration(_ d: UnsafeMutablePointer<Onnx__NodeDeviceConfigurationProto>) -> NodeDeviceConfiguration {
        var r = NodeDeviceConfiguration()
        r.configurationID = string(d.pointee.configuration_id)
        r.pipelineStage = d.pointee.has_pipeline_stage != 0 ? d.pointee.pipeline_stage : nil
        r.shardingSpec = messages(d.pointee.n_sharding_spec, d.pointee.sharding_spec) { s in
            var spec = ShardingSpec()
            spec.tensorName = string(s.pointee.tensor_name)
            spec.device = array(s.pointee.n_device, s.pointee.device)
            spec.indexToDeviceGroupMap = messages(s.pointee.n_index_to_device_group_map, s.pointee.index_to_device_group_map) { e in
                var x = IntIntListEntry()
                x.key = e.pointee.has_key != 0 ? e.pointee.key : nil
                x.value = array(e.pointee.n_value, e.pointee.value)
                x.unknownFields = unknown(&e.pointee.base)
                return x
            }
            spec.shardedDim = messages(s.pointee.n_sharded_dim, s.pointee.sharded_dim) { sd in
                var x = ShardedDim()
                x.axis = sd.pointee.has_axis != 0 ? sd.pointee.axis : nil
                x.simpleSharding = messages(sd.pointee.n_simple_sharding, sd.pointee.simple_sharding) { ss in
                    var y = SimpleShardedDim()
                    switch ss.pointee.dim_case {
                    case ONNX__SIMPLE_SHARDED_DIM_PROTO__DIM_DIM_VALUE: y.dim = .value(ss.pointee.dim_value)
                    case ONNX__SIMPLE_SHARDED_DIM_PROTO__DIM_DIM_PARAM: y.dim = .param(string(ss.pointee.dim_param) ?? "")
                    default: y.dim = .unknown
                    }
                    y.numShards = ss.pointee.has_num_shards != 0 ? ss.pointee.num_shards : nil
                    y.unknownFields = unknown(&ss.pointee.base)
                    return y
                }
                x.unknownFields = unknown(&sd.pointee.base)
                return x
            }
            spec.unknownFields = unknown(&s.pointee.base)
            return spec
        }
        r.unknownFields = unknown(&d.pointee.base)
        return r
    }

    func attribute(_ a: UnsafeMutablePointer<Onnx__AttributeProto>) -> Attribute {
        var r = Attribute(name: string(a.pointee.name))
        r.refAttrName = string(a.pointee.ref_attr_name)
        r.docString = string(a.pointee.doc_string)
        r.type = a.pointee.has_type != 0 ? AttributeType(rawValue: Int32(bitPattern: UInt32(truncatingIfNeeded: a.pointee.type.rawValue))) : nil
        r.f = a.pointee.has_f != 0 ? a.pointee.f : nil
        r.i = a.pointee.has_i != 0 ? a.pointee.i : nil
        r.s = a.pointee.has_s != 0 ? take(&a.pointee.s) : nil
        r.t = a.pointee.t.map(tensor)
        r.g = a.pointee.g.map(graph)
        r.sparseTensor = a.pointee.sparse_tensor.map(sparseTensor)
        r.tp = a.pointee.tp.map(typeProto)
        r.floats = array(a.pointee.n_floats, a.pointee.floats)
        r.ints = array(a.pointee.n_ints, a.pointee.ints)
        r.strings = takeAll(a.pointee.n_strings, a.pointee.strings)
        r.tensors = messages(a.pointee.n_tensors, a.pointee.tensors, tensor)
        r.graphs = messages(a.pointee.n_graphs, a.pointee.graphs, graph)
        r.sparseTensors = messages(a.pointee.n_sparse_tensors, a.pointee.sparse_tensors, sparseTensor)
        r.typeProtos = messages(a.pointee.n_type_protos, a.pointee.type_protos, typeProto)
        r.unknownFields = unknown(&a.pointee.base)
        if let arrays, let cut = arrays.take(from: &r.unknownFields) {
            // Every occurrence of a cut field was cut, so its C array is empty.
            if let owner = deferredArraysOwner {
                // Nothing read: the stripper has already handed the pages back.
                r.deferredArrays = arrays.deferredAttributeArrays(cut, owner: owner)
                return r
            }
            if let v = arrays.fixed(cut, 7, size: 4, { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }) { r.floats = v }
            if let v = arrays.varints(cut, 8, { Int64(bitPattern: $0) }) { r.ints = v }
            if let v = arrays.byteStrings(cut, 9) { r.strings = v }
            arrays.release(cut)
        }
        return r
    }

    func tensor(_ t: UnsafeMutablePointer<Onnx__TensorProto>) -> Tensor {
        var r = Tensor()
        r.dims = array(t.pointee.n_dims, t.pointee.dims)
        r.dataType = t.pointee.has_data_type != 0 ? DataType(rawValue: t.pointee.data_type) : nil
        if let s = t.pointee.segment {
            var seg = Tensor.Segment(begin: s.pointee.has_begin != 0 ? s.pointee.begin : nil, end: s.pointee.has_end != 0 ? s.pointee.end : nil)
            seg.unknownFields = unknown(&s.pointee.base)
            r.segment = seg
        }
        r.floatData = array(t.pointee.n_float_data, t.pointee.float_data)
        r.int32Data = array(t.pointee.n_int32_data, t.pointee.int32_data)
        r.stringData = takeAll(t.pointee.n_string_data, t.pointee.string_data)
        r.int64Data = array(t.pointee.n_int64_data, t.pointee.int64_data)
        r.name = string(t.pointee.name)
        r.docString = string(t.pointee.doc_string)
        if t.pointee.has_raw_data != 0 {
            let raw = take(&t.pointee.raw_data)
            r.rawData = (raw.count == 16 ? payloadForMarker?(raw) : nil) ?? raw
        }
        r.externalData = entries(t.pointee.n_external_data, t.pointee.external_data)
        r.dataLocation = t.pointee.has_data_location != 0
            ? Tensor.DataLocation(rawValue: Int32(bitPattern: UInt32(truncatingIfNeeded: t.pointee.data_location.rawValue))) : nil
        r.doubleData = array(t.pointee.n_double_data, t.pointee.double_data)
        r.uint64Data = array(t.pointee.n_uint64_data, t.pointee.uint64_data)
        r.metadataProps = entries(t.pointee.n_metadata_props, t.pointee.metadata_props)
        r.unknownFields = unknown(&t.pointee.base)
        if let arrays, let cut = arrays.take(from: &r.unknownFields) {
            if let v = arrays.fixed(cut, 4, size: 4, { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }) { r.floatData = v }
            if let v = arrays.varints(cut, 5, { Int32(truncatingIfNeeded: $0) }) { r.int32Data = v }
            if let v = arrays.byteStrings(cut, 6) { r.stringData = v }
            if let v = arrays.varints(cut, 7, { Int64(bitPattern: $0) }) { r.int64Data = v }
            if let v = arrays.fixed(cut, 10, size: 8, { Double(bitPattern: $0) }) { r.doubleData = v }
            if let v = arrays.varints(cut, 11, { $0 }) { r.uint64Data = v }
            arrays.release(cut)
        }
        return r
    }

    func sparseTensor(_ s: UnsafeMutablePointer<Onnx__SparseTensorProto>) -> SparseTensor {
        var r = SparseTensor(values: s.pointee.values.map(tensor), indices: s.pointee.indices.map(tensor), dims: array(s.pointee.n_dims, s.pointee.dims))
        r.unknownFields = unknown(&s.pointee.base)
        return r
    }

    func valueInfo(_ v: UnsafeMutablePointer<Onnx__ValueInfoProto>) -> ValueInfo {
        var r = ValueInfo(name: string(v.pointee.name), type: v.pointee.type.map(typeProto), docString: string(v.pointee.doc_string))
        r.metadataProps = entries(v.pointee.n_metadata_props, v.pointee.metadata_props)
        r.unknownFields = unknown(&v.pointee.base)
        return r
    }

    func shape(_ s: UnsafeMutablePointer<Onnx__TensorShapeProto>) -> TensorShape {
        var r = TensorShape(messages(s.pointee.n_dim, s.pointee.dim) { d in
            let v: ShapeDimension.Value
            switch d.pointee.value_case {
            case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE: v = .value(d.pointee.dim_value)
            case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM: v = .param(string(d.pointee.dim_param) ?? "")
            default: v = .unknown
            }
            var dim = ShapeDimension(v, denotation: string(d.pointee.denotation))
            dim.unknownFields = unknown(&d.pointee.base)
            return dim
        })
        r.unknownFields = unknown(&s.pointee.base)
        return r
    }

    func elemType(_ has: protobuf_c_boolean, _ v: Int32) -> DataType? { has != 0 ? DataType(rawValue: v) : nil }

    func typeProto(_ t: UnsafeMutablePointer<Onnx__TypeProto>) -> TypeProto {
        let v: TypeProto.Value
        switch t.pointee.value_case {
        case ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE:
            let x = t.pointee.tensor_type!
            v = .tensor(elemType: elemType(x.pointee.has_elem_type, x.pointee.elem_type), shape: x.pointee.shape.map(shape), extra: .init(unknown(&x.pointee.base)))
        case ONNX__TYPE_PROTO__VALUE_SEQUENCE_TYPE:
            let x = t.pointee.sequence_type!
            v = .sequence(elem: x.pointee.elem_type.map(typeProto), extra: .init(unknown(&x.pointee.base)))
        case ONNX__TYPE_PROTO__VALUE_MAP_TYPE:
            let x = t.pointee.map_type!
            v = .map(keyType: elemType(x.pointee.has_key_type, x.pointee.key_type), value: x.pointee.value_type.map(typeProto), extra: .init(unknown(&x.pointee.base)))
        case ONNX__TYPE_PROTO__VALUE_OPTIONAL_TYPE:
            let x = t.pointee.optional_type!
            v = .optional(elem: x.pointee.elem_type.map(typeProto), extra: .init(unknown(&x.pointee.base)))
        case ONNX__TYPE_PROTO__VALUE_SPARSE_TENSOR_TYPE:
            let x = t.pointee.sparse_tensor_type!
            v = .sparseTensor(elemType: elemType(x.pointee.has_elem_type, x.pointee.elem_type), shape: x.pointee.shape.map(shape), extra: .init(unknown(&x.pointee.base)))
        case ONNX__TYPE_PROTO__VALUE_OPAQUE_TYPE:
            let x = t.pointee.opaque_type!
            v = .opaque(domain: string(x.pointee.domain), name: string(x.pointee.name), extra: .init(unknown(&x.pointee.base)))
        default:
            v = .none
        }
        var r = TypeProto(v, denotation: string(t.pointee.denotation))
        r.unknownFields = unknown(&t.pointee.base)
        return r
    }
}

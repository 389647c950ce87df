import CProtobufC
import Foundation
import ONNX
import ONNXProtoC

/// Owns every C allocation made while a model is packed, and keeps the Swift byte
/// buffers that the C structs point into alive until packing is done.
final class CArena {
    private var blocks: [UnsafeMutableRawPointer] = []
    private var retained: [ByteBuffer] = []

    deinit { for b in blocks { free(b) } }

    func alloc<T>(_: T.Type, count: Int = 1) -> UnsafeMutablePointer<T> {
        let raw = calloc(max(count, 1), MemoryLayout<T>.stride)!
        blocks.append(raw)
        return raw.bindMemory(to: T.self, capacity: max(count, 1))
    }

    func cString(_ s: String?) -> UnsafeMutablePointer<CChar>? {
        guard let s else { return nil }
        let p = strdup(s)!
        blocks.append(UnsafeMutableRawPointer(p))
        return p
    }

    func cStrings(_ a: [String]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
        guard !a.isEmpty else { return (0, nil) }
        let p = alloc(UnsafeMutablePointer<CChar>?.self, count: a.count)
        for (i, s) in a.enumerated() { p[i] = cString(s) }
        return (a.count, p)
    }

    func array<T>(_ a: [T]) -> (Int, UnsafeMutablePointer<T>?) {
        guard !a.isEmpty else { return (0, nil) }
        let p = alloc(T.self, count: a.count)
        a.withUnsafeBufferPointer { p.initialize(from: $0.baseAddress!, count: a.count) }
        return (a.count, p)
    }

    /// Points at the buffer's own bytes; no copy.
    func bytes(_ b: ByteBuffer) -> ProtobufCBinaryData {
        retained.append(b)
        return ProtobufCBinaryData(len: b.count, data: b.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: UInt8.self)) })
    }

    func bytesArray(_ a: [ByteBuffer]) -> (Int, UnsafeMutablePointer<ProtobufCBinaryData>?) {
        guard !a.isEmpty else { return (0, nil) }
        let p = alloc(ProtobufCBinaryData.self, count: a.count)
        for (i, b) in a.enumerated() { p[i] = bytes(b) }
        return (a.count, p)
    }

    func messages<S, C>(_ a: [S], _ make: (S) -> UnsafeMutablePointer<C>) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<C>?>?) {
        guard !a.isEmpty else { return (0, nil) }
        let p = alloc(UnsafeMutablePointer<C>?.self, count: a.count)
        for (i, s) in a.enumerated() { p[i] = make(s) }
        return (a.count, p)
    }

    func unknown(_ fields: [UnknownField], into base: inout ProtobufCMessage) {
        guard !fields.isEmpty else { return }
        let p = alloc(ProtobufCMessageUnknownField.self, count: fields.count)
        for (i, f) in fields.enumerated() {
            let b = bytes(f.payload)
            p[i] = ProtobufCMessageUnknownField(tag: f.number, wire_type: ProtobufCWireType(rawValue: UInt32(f.wireType.rawValue)), len: b.len, data: b.data)
        }
        base.n_unknown_fields = UInt32(fields.count)
        base.unknown_fields = p
    }
}

/// Builds protobuf-c structs from the Swift IR, in an arena.
struct CEncoder {
    let arena: CArena

    func flag(_ b: Bool) -> protobuf_c_boolean { b ? 1 : 0 }

    func entries(_ a: [StringStringEntry]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Onnx__StringStringEntryProto>?>?) {
        arena.messages(a) { e in
            let m = arena.alloc(Onnx__StringStringEntryProto.self)
            onnx__string_string_entry_proto__init(m)
            m.pointee.key = arena.cString(e.key)
            m.pointee.value = arena.cString(e.value)
            arena.unknown(e.unknownFields, into: &m.pointee.base)
            return m
        }
    }

    func opsets(_ a: [OperatorSetID]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Onnx__OperatorSetIdProto>?>?) {
        arena.messages(a) { o in
            let m = arena.alloc(Onnx__OperatorSetIdProto.self)
            onnx__operator_set_id_proto__init(m)
            m.pointee.domain = arena.cString(o.domain)
            if let v = o.version { m.pointee.has_version = 1; m.pointee.version = v }
            arena.unknown(o.unknownFields, into: &m.pointee.base)
            return m
        }
    }

    func model(_ x: Model) -> UnsafeMutablePointer<Onnx__ModelProto> {
        let m = arena.alloc(Onnx__ModelProto.self)
        onnx__model_proto__init(m)
        if let v = x.irVersion { m.pointee.has_ir_version = 1; m.pointee.ir_version = v }
        (m.pointee.n_opset_import, m.pointee.opset_import) = opsets(x.opsetImport)
        m.pointee.producer_name = arena.cString(x.producerName)
        m.pointee.producer_version = arena.cString(x.producerVersion)
        m.pointee.domain = arena.cString(x.domain)
        if let v = x.modelVersion { m.pointee.has_model_version = 1; m.pointee.model_version = v }
        m.pointee.doc_string = arena.cString(x.docString)
        m.pointee.graph = x.graph.map(graph)
        (m.pointee.n_metadata_props, m.pointee.metadata_props) = entries(x.metadataProps)
        (m.pointee.n_training_info, m.pointee.training_info) = arena.messages(x.trainingInfo, trainingInfo)
        (m.pointee.n_functions, m.pointee.functions) = arena.messages(x.functions, function)
        (m.pointee.n_configuration, m.pointee.configuration) = arena.messages(x.configuration) { d in
            let c = arena.alloc(Onnx__DeviceConfigurationProto.self)
            onnx__device_configuration_proto__init(c)
            c.pointee.name = arena.cString(d.name)
            if let v = d.numDevices { c.pointee.has_num_devices = 1; c.pointee.num_devices = v }
            (c.pointee.n_device, c.pointee.device) = arena.cStrings(d.device)
            arena.unknown(d.unknownFields, into: &c.pointee.base)
            return c
        }
        arena.unknown(x.unknownFields, into: &m.pointee.base)
        return m
    }

    func trainingInfo(_ x: TrainingInfo) -> UnsafeMutablePointer<Onnx__TrainingInfoProto> {
        let m = arena.alloc(Onnx__TrainingInfoProto.self)
        onnx__training_info_proto__init(m)
        m.pointee.initialization = x.initialization.map(graph)
        m.pointee.algorithm = x.algorithm.map(graph)
        (m.pointee.n_initialization_binding, m.pointee.initialization_binding) = entries(x.initializationBinding)
        (m.pointee.n_update_binding, m.pointee.update_binding) = entries(x.updateBinding)
        arena.unknown(x.unknownFields, into: &m.pointee.base)
        return m
    }

    func function(_ x: Function) -> UnsafeMutablePointer<Onnx__FunctionProto> {
        let m = arena.alloc(Onnx__FunctionProto.self)
        onnx__function_proto__init(m)
        m.pointee.name = arena.cString(x.name)
        (m.pointee.n_input, m.pointee.input) = arena.cStrings(x.input)
        (m.pointee.n_output, m.pointee.output) = arena.cStrings(x.output)
        (m.pointee.n_attribute, m.pointee.attribute) = arena.cStrings(x.attribute)
        (m.pointee.n_attribute_proto, m.pointee.attribute_proto) = arena.messages(x.attributeProto, attribute)
        (m.pointee.n_node, m.pointee.node) = arena.messages(x.node, node)
        m.pointee.doc_string = arena.cString(x.docString)
        (m.pointee.n_opset_import, m.pointee.opset_import) = opsets(x.opsetImport)
        m.pointee.domain = arena.cString(x.domain)
        m.pointee.overload = arena.cString(x.overload)
        (m.pointee.n_value_info, m.pointee.value_info) = arena.messages(x.valueInfo, valueInfo)
        (m.pointee.n_metadata_props, m.pointee.metadata_props) = entries(x.metadataProps)
        arena.unknown(x.unknownFields, into: &m.pointee.base)
        return m
    }

    func graph(_ x: Graph) -> UnsafeMutablePointer<Onnx__GraphProto> {
        let m = arena.alloc(Onnx__GraphProto.self)
        onnx__graph_proto__init(m)
        (m.pointee.n_node, m.pointee.node) = arena.messages(x.node, node)
        m.pointee.name = arena.cString(x.name)
        (m.pointee.n_initializer, m.pointee.initializer) = arena.messages(x.initializer, tensor)
        (m.pointee.n_sparse_initializer, m.pointee.sparse_initializer) = arena.messages(x.sparseInitializer, sparseTensor)
        m.pointee.doc_string = arena.cString(x.docString)
        (m.pointee.n_input, m.pointee.input) = arena.messages(x.input, valueInfo)
        (m.pointee.n_output, m.pointee.output) = arena.messages(x.output, valueInfo)
        (m.pointee.n_value_info, m.pointee.value_info) = arena.messages(x.valueInfo, valueInfo)
        (m.pointee.n_quantization_annotation, m.pointee.quantization_annotation) = arena.messages(x.quantizationAnnotation) { a in
            let c = arena.alloc(Onnx__TensorAnnotation.self)
            onnx__tensor_annotation__init(c)
            c.pointee.tensor_name = arena.cString(a.tensorName)
            (c.pointee.n_quant_parameter_tensor_names, c.pointee.quant_parameter_tensor_names) = entries(a.quantParameterTensorNames)
            arena.unknown(a.unknownFields, into: &c.pointee.base)
            return c
        }
        (m.pointee.n_metadata_props, m.pointee.metadata_props) = entries(x.metadataProps)
        arena.unknown(x.unknownFields, into: &m.pointee.base)
        return m
    }

    func node(_ x: Node) -> UnsafeMutablePointer<Onnx__NodeProto> {
        let m = arena.alloc(Onnx__NodeProto.self)
        onnx__node_proto__init(m)
        (m.pointee.n_input, m.pointee.input) = arena.cStrings(x.input)
        (m.pointee.n_output, m.pointee.output) = arena.cStrings(x.output)
        m.pointee.name = arena.cString(x.name)
        m.pointee.op_type = arena.cString(x.opType)
        m.pointee.domain = arena.cString(x.domain)
        m.pointee.overload = arena.cString(x.overload)
        (m.pointee.n_attribute, m.pointee.attribute) = arena.messages(x.attribute, attribute)
        m.pointee.doc_string = arena.cString(x.docString)
        (m.pointee.n_metadata_props, m.pointee.metadata_props) = entries(x.metadataProps)
        (m.pointee.n_device_configurations, m.pointee.device_configurations) = arena.messages(x.deviceConfigurations, nodeDeviceConfiguration)
        arena.unknown(x.unknownFields, into: &m.pointee.base)
        return m
    }

    func nodeDeviceConfiguration(_ x: NodeDeviceConfiguration) -> UnsafeMutablePointer<Onnx__NodeDeviceConfigurationProto> {
        let m = arena.alloc(Onnx__NodeDeviceConfigurationProto.self)
        onnx__node_device_configuration_proto__init(m)
        m.pointee.configuration_id = arena.cString(x.configurationID)
        if let v = x.pipelineStage { m.pointee.has_pipeline_stage = 1; m.pointee.pipeline_stage = v }
        (m.pointee.n_sharding_spec, m.pointee.sharding_spec) = arena.messages(x.shardingSpec) { s in
            let c = arena.alloc(Onnx__ShardingSpecProto.self)
            onnx__sharding_spec_proto__init(c)
            c.pointee.tensor_name = arena.cString(s.tensorName)
            (c.pointee.n_device, c.pointee.device) = arena.array(s.device)
            (c.pointee.n_index_to_device_group_map, c.pointee.index_to_device_group_map) = arena.messages(s.indexToDeviceGroupMap) { e in
                let k = arena.alloc(Onnx__IntIntListEntryProto.self)
                onnx__int_int_list_entry_proto__init(k)
                if let v = e.key { k.pointee.has_key = 1; k.pointee.key = v }
                (k.pointee.n_value, k.pointee.value) = arena.array(e.value)
                arena.unknown(e.unknownFields, into: &k.pointee.base)
                return k
            }
            (c.pointee.n_sharded_dim, c.pointee.sharded_dim) = arena.messages(s.shardedDim) { sd in
                let k = arena.alloc(Onnx__ShardedDimProto.self)
                onnx__sharded_dim_proto__init(k)
                if let v = sd.axis { k.pointee.has_axis = 1; k.pointee.axis = v }
                (k.pointee.n_simple_sharding, k.pointee.simple_sharding) = arena.messages(sd.simpleSharding) { ss in
                    let q = arena.alloc(Onnx__SimpleShardedDimProto.self)
                    onnx__simple_sharded_dim_proto__init(q)
                    switch ss.dim {
                    case .value(let v): q.pointee.dim_case = ONNX__SIMPLE_SHARDED_DIM_PROTO__DIM_DIM_VALUE; q.pointee.dim_value = v
                    case .param(let p): q.pointee.dim_case = ONNX__SIMPLE_SHARDED_DIM_PROTO__DIM_DIM_PARAM; q.pointee.dim_param = arena.cString(p)
                    case .unknown: break
                    }
                    if let v = ss.numShards { q.pointee.has_num_shards = 1; q.pointee.num_shards = v }
                    arena.unknown(ss.unknownFields, into: &q.pointee.base)
                    return q
                }
                arena.unknown(sd.unknownFields, into: &k.pointee.base)
                return k
            }
            arena.unknown(s.unknownFields, into: &c.pointee.base)
            return c
        }
        arena.unknown(x.unknownFields, into: &m.pointee.base)
        return m
    }

    func attribute(_ x: Attribute) -> UnsafeMutablePointer<Onnx__AttributeProto> {
        var x = x
        x.loadDeferredArrays()
        let m = arena.alloc(Onnx__AttributeProto.self)
        onnx__attribute_proto__init(m)
        m.pointee.name = arena.cString(x.name)
        m.pointee.ref_attr_name = arena.cString(x.refAttrName)
        m.pointee.doc_string = arena.cString(x.docString)
        if let t = x.type { m.pointee.has_type = 1; m.pointee.type = Onnx__AttributeProto__AttributeType(rawValue: UInt32(bitPattern: t.rawValue)) }
        if let v = x.f { m.pointee.has_f = 1; m.pointee.f = v }
        if let v = x.i { m.pointee.has_i = 1; m.pointee.i = v }
        if let v = x.s { m.pointee.has_s = 1; m.pointee.s = arena.bytes(v) }
        m.pointee.t = x.t.map(tensor)
        m.pointee.g = x.g.map(graph)
        m.pointee.sparse_tensor = x.sparseTensor.map(sparseTensor)
        m.pointee.tp = x.tp.map(typeProto)
        (m.pointee.n_floats, m.pointee.floats) = arena.array(x.floats)
        (m.pointee.n_ints, m.pointee.ints) = arena.array(x.ints)
        (m.pointee.n_strings, m.pointee.strings) = arena.bytesArray(x.strings)
        (m.pointee.n_tensors, m.pointee.tensors) = arena.messages(x.tensors, tensor)
        (m.pointee.n_graphs, m.pointee.graphs) = arena.messages(x.graphs, graph)
        (m.pointee.n_sparse_tensors, m.pointee.sparse_tensors) = arena.messages(x.sparseTensors, sparseTensor)
        (m.pointee.n_type_protos, m.pointee.type_protos) = arena.messages(x.typeProtos, typeProto)
        arena.unknown(x.unknownFields, into: &m.pointee.base)
        return m
    }

    func tensor(_ x: Tensor) -> UnsafeMutablePointer<Onnx__TensorProto> {
        let m = arena.alloc(Onnx__TensorProto.self)
        onnx__tensor_proto__init(m)
        (m.pointee.n_dims, m.pointee.dims) = arena.array(x.dims)
        if let v = x.dataType { m.pointee.has_data_type = 1; m.pointee.data_type = v.rawValue }
        if let s = x.segment {
            let c = arena.alloc(Onnx__TensorProto__Segment.self)
            onnx__tensor_proto__segment__init(c)
            if let v = s.begin { c.pointee.has_begin = 1; c.pointee.begin = v }
            if let v = s.end { c.pointee.has_end = 1; c.pointee.end = v }
            arena.unknown(s.unknownFields, into: &c.pointee.base)
            m.pointee.segment = c
        }
        (m.pointee.n_float_data, m.pointee.float_data) = arena.array(x.floatData)
        (m.pointee.n_int32_data, m.pointee.int32_data) = arena.array(x.int32Data)
        (m.pointee.n_string_data, m.pointee.string_data) = arena.bytesArray(x.stringData)
        (m.pointee.n_int64_data, m.pointee.int64_data) = arena.array(x.int64Data)
        m.pointee.name = arena.cString(x.name)
        m.pointee.doc_string = arena.cString(x.docString)
        if let r = x.rawData { m.pointee.has_raw_data = 1; m.pointee.raw_data = arena.bytes(r) }
        (m.pointee.n_external_data, m.pointee.external_data) = entries(x.externalData)
        if let l = x.dataLocation {
            m.pointee.has_data_location = 1
            m.pointee.data_location = Onnx__TensorProto__DataLocation(rawValue: UInt32(bitPattern: l.rawValue))
        }
        (m.pointee.n_double_data, m.pointee.double_data) = arena.array(x.doubleData)
        (m.pointee.n_uint64_data, m.pointee.uint64_data) = arena.array(x.uint64Data)
        (m.pointee.n_metadata_props, m.pointee.metadata_props) = entries(x.metadataProps)
        arena.unknown(x.unknownFields, into: &m.pointee.base)
        return m
    }

    func sparseTensor(_ x: SparseTensor) -> UnsafeMutablePointer<Onnx__SparseTensorProto> {
        let m = arena.alloc(Onnx__SparseTensorProto.self)
        onnx__sparse_tensor_proto__init(m)
        m.pointee.values = x.values.map(tensor)
        m.pointee.indices = x.indices.map(tensor)
        (m.pointee.n_dims, m.pointee.dims) = arena.array(x.dims)
        arena.unknown(x.unknownFields, into: &m.pointee.base)
        return m
    }

    func valueInfo(_ x: ValueInfo) -> UnsafeMutablePointer<Onnx__ValueInfoProto> {
        let m = arena.alloc(Onnx__ValueInfoProto.self)
        onnx__value_info_proto__init(m)
        m.pointee.name = arena.cString(x.name)
        m.pointee.type = x.type.map(typeProto)
        m.pointee.doc_string = arena.cString(x.docString)
        (m.pointee.n_metadata_props, m.pointee.metadata_props) = entries(x.metadataProps)
        arena.unknown(x.unknownFields, into: &m.pointee.base)
        return m
    }

    func shape(_ x: TensorShape) -> UnsafeMutablePointer<Onnx__TensorShapeProto> {
        let m = arena.alloc(Onnx__TensorShapeProto.self)
        onnx__tensor_shape_proto__init(m)
        (m.pointee.n_dim, m.pointee.dim) = arena.messages(x.dims) { d in
            let c = arena.alloc(Onnx__TensorShapeProto__Dimension.self)
            onnx__tensor_shape_proto__dimension__init(c)
            switch d.value {
            case .value(let v): c.pointee.value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE; c.pointee.dim_value = v
            case .param(let p): c.pointee.value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM; c.pointee.dim_param = arena.cString(p)
            case .unknown: break
            }
            c.pointee.denotation = arena.cString(d.denotation)
            arena.unknown(d.unknownFields, into: &c.pointee.base)
            return c
        }
        arena.unknown(x.unknownFields, into: &m.pointee.base)
        return m
    }

    func typeProto(_ x: TypeProto) -> UnsafeMutablePointer<Onnx__TypeProto> {
        let m = arena.alloc(Onnx__TypeProto.self)
        onnx__type_proto__init(m)
        m.pointee.denotation = arena.cString(x.denotation)
        switch x.value {
        case .tensor(let e, let s, let extra):
            let c = arena.alloc(Onnx__TypeProto__Tensor.self)
            onnx__type_proto__tensor__init(c)
            if let e { c.pointee.has_elem_type = 1; c.pointee.elem_type = e.rawValue }
            c.pointee.shape = s.map(shape)
            arena.unknown(extra.unknownFields, into: &c.pointee.base)
            m.pointee.value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE
            m.pointee.tensor_type = c
        case .sequence(let e, let extra):
            let c = arena.alloc(Onnx__TypeProto__Sequence.self)
            onnx__type_proto__sequence__init(c)
            c.pointee.elem_type = e.map(typeProto)
            arena.unknown(extra.unknownFields, into: &c.pointee.base)
            m.pointee.value_case = ONNX__TYPE_PROTO__VALUE_SEQUENCE_TYPE
            m.pointee.sequence_type = c
        case .map(let k, let v, let extra):
            let c = arena.alloc(Onnx__TypeProto__Map.self)
            onnx__type_proto__map__init(c)
            if let k { c.pointee.has_key_type = 1; c.pointee.key_type = k.rawValue }
            c.pointee.value_type = v.map(typeProto)
            arena.unknown(extra.unknownFields, into: &c.pointee.base)
            m.pointee.value_case = ONNX__TYPE_PROTO__VALUE_MAP_TYPE
            m.pointee.map_type = c
        case .optional(let e, let extra):
            let c = arena.alloc(Onnx__TypeProto__Optional.self)
            onnx__type_proto__optional__init(c)
            c.pointee.elem_type = e.map(typeProto)
            arena.unknown(extra.unknownFields, into: &c.pointee.base)
            m.pointee.value_case = ONNX__TYPE_PROTO__VALUE_OPTIONAL_TYPE
            m.pointee.optional_type = c
        case .sparseTensor(let e, let s, let extra):
            let c = arena.alloc(Onnx__TypeProto__SparseTensor.self)
            onnx__type_proto__sparse_tensor__init(c)
            if let e { c.pointee.has_elem_type = 1; c.pointee.elem_type = e.rawValue }
            c.pointee.shape = s.map(shape)
            arena.unknown(extra.unknownFields, into: &c.pointee.base)
            m.pointee.value_case = ONNX__TYPE_PROTO__VALUE_SPARSE_TENSOR_TYPE
            m.pointee.sparse_tensor_type = c
        case .opaque(let d, let n, let extra):
            let c = arena.alloc(Onnx__TypeProto__Opaque.self)
            onnx__type_proto__opaque__init(c)
            c.pointee.domain = arena.cString(d)
            c.pointee.name = arena.cString(n)
            arena.unknown(extra.unknownFields, into: &c.pointee.base)
            m.pointee.value_case = ONNX__TYPE_PROTO__VALUE_OPAQUE_TYPE
            m.pointee.opaque_type = c
        case .none:
            break
        }
        arena.unknown(x.unknownFields, into: &m.pointee.base)
        return m
    }
}

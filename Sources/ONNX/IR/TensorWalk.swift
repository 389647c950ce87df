/// Visits every tensor a model holds, wherever it sits: initializers, sparse
/// initializers, attribute tensors, subgraphs (If/Loop/Scan bodies), functions and
/// training graphs. `path` names the place, for error messages.
extension Model {
    public mutating func updateTensors(_ body: (inout Tensor, _ path: String) throws -> Void) rethrows {
        if graph != nil { try graph!.updateTensors(path: "graph", body) }
        for i in functions.indices {
            for j in functions[i].node.indices {
                try functions[i].node[j].updateTensors(path: "functions[\(i)].node[\(j)]", body)
            }
            for j in functions[i].attributeProto.indices {
                try functions[i].attributeProto[j].updateTensors(path: "functions[\(i)].attribute_proto[\(j)]", body)
            }
        }
        for i in trainingInfo.indices {
            if trainingInfo[i].initialization != nil { try trainingInfo[i].initialization!.updateTensors(path: "training_info[\(i)].initialization", body) }
            if trainingInfo[i].algorithm != nil { try trainingInfo[i].algorithm!.updateTensors(path: "training_info[\(i)].algorithm", body) }
        }
    }

    /// Read-only visit of every tensor (see `updateTensors`).
    public func forEachTensor(_ body: (Tensor, _ path: String) throws -> Void) rethrows {
        var copy = self
        try copy.updateTensors { t, p in try body(t, p) }
    }
}

extension Graph {
    mutating func updateTensors(path: String, _ body: (inout Tensor, String) throws -> Void) rethrows {
        for i in initializer.indices { try body(&initializer[i], "\(path).initializer[\(i)]") }
        for i in sparseInitializer.indices {
            try sparseInitializer[i].updateTensors(path: "\(path).sparse_initializer[\(i)]", body)
        }
        for i in node.indices { try node[i].updateTensors(path: "\(path).node[\(i)]", body) }
    }
}

extension SparseTensor {
    mutating func updateTensors(path: String, _ body: (inout Tensor, String) throws -> Void) rethrows {
        if values != nil { try body(&values!, "\(path).values") }
        if indices != nil { try body(&indices!, "\(path).indices") }
    }
}

extension Node {
    mutating func updateTensors(path: String, _ body: (inout Tensor, String) throws -> Void) rethrows {
        for i in attribute.indices { try attribute[i].updateTensors(path: "\(path).attribute[\(i)]", body) }
    }
}

extension Attribute {
    mutating func updateTensors(path: String, _ body: (inout Tensor, String) throws -> Void) rethrows {
        if t != nil { try body(&t!, "\(path).t") }
        for i in tensors.indices { try body(&tensors[i], "\(path).tensors[\(i)]") }
        if sparseTensor != nil { try sparseTensor!.updateTensors(path: "\(path).sparse_tensor", body) }
        for i in sparseTensors.indices { try sparseTensors[i].updateTensors(path: "\(path).sparse_tensors[\(i)]", body) }
        for i in gStorage.indices { try gStorage[i].updateTensors(path: "\(path).g", body) }
        for i in graphs.indices { try graphs[i].updateTensors(path: "\(path).graphs[\(i)]", body) }
    }
}

let elementwiseOperators: [any Operator.Type] = [
    Add.self, Relu.self,
]

let tensorOperators: [any Operator.Type] = [
    Reshape.self,
]

let miscOperators: [any Operator.Type] = [
]

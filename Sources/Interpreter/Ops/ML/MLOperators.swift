let mlOperators: [any Operator.Type] = [
]

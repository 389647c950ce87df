let neuralNetworkOperators: [any Operator.Type] = [
]

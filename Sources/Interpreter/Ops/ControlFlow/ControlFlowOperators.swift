let controlFlowOperators: [any Operator.Type] = [
    Constant.self, Identity.self, If.self, Loop.self,
]

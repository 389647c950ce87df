/// Every built-in operator. A new op is one file under Ops/ plus one line in its
/// family's list (Ops/<Family>/<Family>Operators.swift).
let builtInOperators: [any Operator.Type] =
    controlFlowOperators + elementwiseOperators + tensorOperators + neuralNetworkOperators + mlOperators + miscOperators

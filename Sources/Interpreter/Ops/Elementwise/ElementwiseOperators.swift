let elementwiseOperators: [any Operator.Type] = [
    // Arithmetic
    Add.self, Sub.self, Mul.self, Div.self, Pow.self, Mod.self,
    Neg.self, Abs.self, Sign.self, Reciprocal.self, Sqrt.self, Exp.self, Log.self,
    Floor.self, Ceil.self, Round.self, Erf.self,
    Sum.self, Mean.self, Min.self, Max.self, Clip.self,
    // Trigonometric and hyperbolic
    Sin.self, Cos.self, Tan.self, Asin.self, Acos.self, Atan.self,
    Sinh.self, Cosh.self, Asinh.self, Acosh.self, Atanh.self,
    // Activations
    Relu.self, LeakyRelu.self, PRelu.self, Elu.self, Selu.self, Celu.self, ThresholdedRelu.self,
    HardSigmoid.self, HardSwish.self, Softplus.self, Softsign.self, Sigmoid.self, Tanh.self,
    Mish.self, Gelu.self, Shrink.self,
    // Predicates, comparisons and logic
    IsNaN.self, IsInf.self, Equal.self, Less.self, Greater.self, LessOrEqual.self, GreaterOrEqual.self,
    Not.self, And.self, Or.self, Xor.self, Where.self,
    // Conversion and quantization
    Cast.self, CastLike.self, QuantizeLinear.self, DequantizeLinear.self,
    // Bits
    BitShift.self, BitwiseAnd.self, BitwiseOr.self, BitwiseXor.self, BitwiseNot.self,
]

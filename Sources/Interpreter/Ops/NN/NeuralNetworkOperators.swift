let neuralNetworkOperators: [any Operator.Type] = [
    MatMul.self, Gemm.self, MatMulInteger.self,
    Conv.self, ConvTranspose.self, ConvInteger.self,
    MaxPool.self, AveragePool.self, LpPool.self, GlobalAveragePool.self, GlobalMaxPool.self, GlobalLpPool.self, MaxRoiPool.self,
    BatchNormalization.self, LayerNormalization.self, GroupNormalization.self, InstanceNormalization.self,
    RMSNormalization.self, LRN.self, MeanVarianceNormalization.self,
    Softmax.self, LogSoftmax.self, Hardmax.self,
    ReduceSum.self, ReduceMean.self, ReduceMax.self, ReduceMin.self, ReduceProd.self,
    ReduceL1.self, ReduceL2.self, ReduceLogSum.self, ReduceLogSumExp.self, ReduceSumSquare.self,
    ArgMax.self, ArgMin.self, TopK.self, CumSum.self, Einsum.self,
    LSTM.self, GRU.self, RNN.self,
    Attention.self, Dropout.self, RotaryEmbedding.self, Scan.self,
]

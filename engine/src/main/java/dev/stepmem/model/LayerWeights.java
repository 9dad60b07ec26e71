package dev.stepmem.model;

import dev.stepmem.tensor.HostTensor;

/**
 * One decoder layer's weights, shapes [out, in] as in llama2.c:
 * rmsAtt [1, d], wq [d, d], wk [kvDim, d], wv [kvDim, d], wo [d, d],
 * rmsFfn [1, d], w1 (gate) [h, d], w2 (down) [d, h], w3 (up) [h, d].
 * Norm vectors are always F32 (loaders widen them); matrices may be F32, BF16 or F16.
 */
public record LayerWeights(HostTensor rmsAtt, HostTensor wq, HostTensor wk, HostTensor wv, HostTensor wo,
                           HostTensor rmsFfn, HostTensor w1, HostTensor w2, HostTensor w3) {
}

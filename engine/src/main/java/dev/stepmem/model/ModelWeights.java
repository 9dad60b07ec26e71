package dev.stepmem.model;

import dev.stepmem.model.load.CheckpointException;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.util.List;

/**
 * All weights of a model plus its config. Created by a loader (llama2.c, Hugging Face) or by
 * {@code SyntheticWeights}; the tensors are views of memory-mapped files or off-heap buffers.
 *
 * @param tokenEmbedding [V, d]
 * @param rmsFinal       [1, d], F32
 * @param classifier     [V, d]; the same tensor as tokenEmbedding when tied
 * @param source         where the weights came from (a path, or "synthetic seed=...")
 * @param owner          keeps the mapping / arena alive; closed with the weights
 */
public record ModelWeights(ModelConfig config, HostTensor tokenEmbedding, List<LayerWeights> layers,
                           HostTensor rmsFinal, HostTensor classifier, String source, AutoCloseable owner)
        implements AutoCloseable {

    public ModelWeights {
        layers = List.copyOf(layers);
        checkShapes(config, tokenEmbedding, layers, rmsFinal, classifier, source);
    }

    /**
     * The same tensors and owner under the RoPE rule given (the config's dynamic-NTK threshold);
     * the result takes over closing, so close it instead of this.
     */
    public ModelWeights withRope(RopeRule rule) {
        return new ModelWeights(rule.applyTo(config), tokenEmbedding, layers, rmsFinal, classifier, source, owner);
    }

    /** The dtype of the big matrices (from wq of layer 0). */
    public DType matrixType() {
        return layers.getFirst().wq().dtype();
    }

    @Override
    public void close() {
        if (owner != null) {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing weights of " + source, e);
            }
        }
    }

    private static void checkShapes(ModelConfig c, HostTensor emb, List<LayerWeights> layers,
                                    HostTensor rmsFinal, HostTensor classifier, String source) {
        if (layers.size() != c.nLayers()) {
            throw new CheckpointException(source, "config says " + c.nLayers() + " layers, weights have " + layers.size());
        }
        int d = c.dim(), h = c.hiddenDim(), kv = c.kvDim(), v = c.vocabSize();
        expect(source, emb, v, d);
        expect(source, rmsFinal, 1, d);
        expect(source, classifier, v, d);
        if (rmsFinal.dtype() != DType.F32) {
            throw new CheckpointException(source, "norm weights must be widened to F32 by the loader");
        }
        for (LayerWeights l : layers) {
            expect(source, l.rmsAtt(), 1, d);
            expect(source, l.wq(), d, d);
            expect(source, l.wk(), kv, d);
            expect(source, l.wv(), kv, d);
            expect(source, l.wo(), d, d);
            expect(source, l.rmsFfn(), 1, d);
            expect(source, l.w1(), h, d);
            expect(source, l.w2(), d, h);
            expect(source, l.w3(), h, d);
            if (l.rmsAtt().dtype() != DType.F32 || l.rmsFfn().dtype() != DType.F32) {
                throw new CheckpointException(source, "norm weights must be widened to F32 by the loader");
            }
        }
    }

    private static void expect(String source, HostTensor t, int rows, int cols) {
        if (t.rows() != rows || t.cols() != cols) {
            throw new CheckpointException(source, "tensor " + t.name() + " has shape [" + t.rows() + ", "
                    + t.cols() + "], the config needs [" + rows + ", " + cols + "]");
        }
    }
}

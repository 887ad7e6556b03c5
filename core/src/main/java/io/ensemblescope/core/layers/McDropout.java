package io.ensemblescope.core.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.ensemblescope.core.random.SeededRandom;

/**
 * Inverted dropout whose masks come from the model's own seeded stream, so parallel training stays reproducible.
 * With {@code alwaysOn} it stays stochastic at inference (MC Dropout, Gal and Ghahramani 2016) while the forward's
 * training flag stays false and BatchNorm therefore stays in eval mode — DJL's training flag alone would switch both.
 */
public final class McDropout extends AbstractBlock {
    private static final byte VERSION = 1;

    private final float rate;
    private final boolean alwaysOn;
    private final SeededRandom random;

    public McDropout(float rate, boolean alwaysOn, SeededRandom random) {
        super(VERSION);
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout_rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
        this.alwaysOn = alwaysOn;
        this.random = random;
    }

    public float rate() {
        return rate;
    }

    public boolean alwaysOn() {
        return alwaysOn;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (rate == 0 || !(training || alwaysOn)) {
            return inputs;
        }
        Shape shape = x.getShape();
        float keep = 1f - rate;
        float[] mask = new float[Math.toIntExact(shape.size())];
        random.fillBernoulli(mask, keep, 1f / keep);
        NDArray m = x.getManager().create(mask, shape).toDevice(x.getDevice(), false);
        return new NDList(x.mul(m));
    }
}

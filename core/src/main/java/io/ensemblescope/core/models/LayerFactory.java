package io.ensemblescope.core.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import io.ensemblescope.core.layers.BatchEnsembleConv2d;
import io.ensemblescope.core.layers.BatchEnsembleLinear;
import io.ensemblescope.core.layers.FastWeightInitializer;
import io.ensemblescope.core.layers.McDropout;
import io.ensemblescope.core.random.SeededRandom;

/**
 * Makes the layers an architecture asks for, plain or BatchEnsemble, so one architecture definition serves all four
 * methods. BatchNorm is not made here: it is shared by all members either way.
 */
public final class LayerFactory {
    private final NetworkSpec spec;
    private final SeededRandom random;

    public LayerFactory(NetworkSpec spec, SeededRandom random) {
        this.spec = spec;
        this.random = random;
    }

    public NetworkSpec spec() {
        return spec;
    }

    private boolean batchEnsemble() {
        return spec.method() == Method.BATCH_ENSEMBLE;
    }

    public Block linear(long units) {
        if (batchEnsemble()) {
            return BatchEnsembleLinear.builder().setUnits(units).setOptions(spec.batchEnsemble())
                    .setFastWeightInitializer(fastInit()).build();
        }
        return Linear.builder().setUnits(units).build();
    }

    /** A square convolution without bias (BatchNorm follows every convolution in our networks). */
    public Block conv(long filters, int kernel, int stride, int padding) {
        if (batchEnsemble()) {
            return BatchEnsembleConv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                    .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding))
                    .setOptions(spec.batchEnsemble()).setFastWeightInitializer(fastInit()).build();
        }
        return Conv2d.builder().setFilters(Math.toIntExact(filters)).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding)).optBias(false).build();
    }

    /** Dropout at the spec's rate; kept on at inference for MC Dropout. */
    public Block dropout() {
        return new McDropout(spec.dropoutRate(), spec.method() == Method.MC_DROPOUT, random);
    }

    private FastWeightInitializer fastInit() {
        return new FastWeightInitializer(spec.batchEnsemble().init(), spec.batchEnsemble().initStd(), random);
    }
}

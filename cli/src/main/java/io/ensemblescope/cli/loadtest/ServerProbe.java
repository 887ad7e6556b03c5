package io.ensemblescope.cli.loadtest;

import ai.djl.ndarray.NDArray;
import io.ensemblescope.inference.serving.InferenceEngine;
import io.ensemblescope.rpc.Meters;

/**
 * Memory of an inference server running in this process: the process's resident set (generator included, which is
 * small) and the bytes of the native arrays a loaded model holds.
 */
public final class ServerProbe {
    private final InferenceEngine engine;

    public ServerProbe(InferenceEngine engine) {
        this.engine = engine;
    }

    public double rssBytes() {
        return Meters.residentBytes();
    }

    /** Bytes of the arrays attached to the model's networks (weights, running statistics). */
    public double nativeBytes(String model) {
        double bytes = 0;
        for (NDArray a : engine.models().managerOf(model).getManagedArrays()) {
            bytes += (double) a.getShape().size() * a.getDataType().getNumOfBytes();
        }
        return bytes;
    }
}

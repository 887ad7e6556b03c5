package io.ensemblescope.cli.loadtest;

import com.google.protobuf.ByteString;
import io.ensemblescope.api.v1.DType;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.Tensor;
import io.ensemblescope.datasets.ImageDataset;

/**
 * Requests of B real test images each, as raw UINT8 pixels the server normalizes: a few distinct ones cycling
 * through the images, built once so that building a request is not part of the load.
 */
final class RequestPool {
    static final int DISTINCT = 16;

    private final PredictRequest[] requests;

    RequestPool(PredictRequest[] requests) {
        this.requests = requests.clone();
    }

    /** {@link #DISTINCT} requests of {@code batch} images from {@code images} for {@code model}. */
    static RequestPool of(ModelRef model, ImageDataset images, int batch, int mcSamples) {
        int bytes = images.imageBytes();
        PredictRequest[] out = new PredictRequest[DISTINCT];
        for (int r = 0; r < DISTINCT; r++) {
            byte[] px = new byte[Math.multiplyExact(batch, bytes)];
            for (int i = 0; i < batch; i++) {
                int image = (r * batch + i) % images.size();
                System.arraycopy(images.pixels(), image * bytes, px, i * bytes, bytes);
            }
            out[r] = PredictRequest.newBuilder().setModel(model).setMcSamples(mcSamples)
                    .setInput(Tensor.newBuilder().addShape(batch).addShape(images.channels())
                            .addShape(images.height()).addShape(images.width()).setDtype(DType.UINT8)
                            .setRawData(ByteString.copyFrom(px)))
                    .build();
        }
        return new RequestPool(out);
    }

    PredictRequest get(long index) {
        return requests[(int) (index % requests.length)];
    }
}

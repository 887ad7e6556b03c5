package io.ensemblescope.inference.monitoring;

import com.google.protobuf.ByteString;
import io.ensemblescope.api.v1.DType;
import io.ensemblescope.api.v1.MemberProbabilities;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.Tensor;
import io.ensemblescope.datasets.ImageDataset;
import java.nio.ByteOrder;

/**
 * Images as a client sends them to the InferenceService (raw UINT8 pixels the server normalizes) and the member
 * probabilities it gets back: how profiles are taken and demo traffic is made, through the real contract.
 */
public final class ImageTraffic {
    private ImageTraffic() {}

    /** Images [from, from + n) of {@code data} as one request. */
    public static PredictRequest request(ModelRef model, ImageDataset data, int from, int n, String requestId) {
        int per = data.imageBytes();
        Tensor input = Tensor.newBuilder().addShape(n).addShape(data.channels()).addShape(data.height())
                .addShape(data.width()).setDtype(DType.UINT8)
                .setRawData(ByteString.copyFrom(data.pixels(), from * per, n * per)).build();
        return PredictRequest.newBuilder().setModel(model).setInput(input).setRequestId(requestId).build();
    }

    /**
     * Every {@code step}-th image from {@code start}, e.g. the even and the odd halves of a test set: two samples of
     * one distribution even where a set's order is not random (MNIST's first 5,000 test digits are the easier ones).
     */
    public static ImageDataset strided(ImageDataset data, int start, int step) {
        if (start < 0 || step < 1 || start >= data.size()) {
            throw new IllegalArgumentException("stride: start " + start + ", step " + step + " over "
                    + data.size() + " images");
        }
        int n = (data.size() - start + step - 1) / step;
        int per = data.imageBytes();
        byte[] pixels = new byte[n * per];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int from = start + i * step;
            System.arraycopy(data.pixels(), from * per, pixels, i * per, per);
            labels[i] = data.label(from);
        }
        return new ImageDataset(data.name() + "[" + start + "::" + step + "]", pixels, labels, data.channels(),
                data.height(), data.width(), data.classNames(), data.normalization());
    }

    /** The response's member-major probabilities [k, B, C]. */
    public static float[] memberProbabilities(PredictResponse r) {
        MemberProbabilities p = r.getMemberProbabilities();
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(p.getMembers(), p.getBatch()), p.getClasses())];
        p.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}

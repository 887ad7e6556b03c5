package io.ensemblescope.inference.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.ensemblescope.api.v1.BatchingOptions;
import io.ensemblescope.api.v1.DType;
import io.ensemblescope.api.v1.MemberProbabilities;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelInfo;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.ModelState;
import io.ensemblescope.api.v1.Normalization;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.api.v1.Tensor;
import io.ensemblescope.api.v1.Timings;
import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.inference.serving.BatchingConfig;
import io.ensemblescope.inference.serving.InputDType;
import io.ensemblescope.inference.serving.InputTensor;
import io.ensemblescope.inference.serving.ModelView;
import io.ensemblescope.inference.serving.PredictCall;
import io.ensemblescope.inference.serving.Prediction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/** Translates between the contract's messages and the serving core's records; float32 travels little-endian. */
public final class ProtoCodec {
    private ProtoCodec() {}

    public static PredictCall toCall(PredictRequest r, long receivedNanos, long deadlineNanos,
                                     BooleanSupplier cancelled) {
        if (!r.hasModel() || r.getModel().getName().isEmpty()) {
            throw new IllegalArgumentException("model.name: required");
        }
        if (!r.hasInput()) {
            throw new IllegalArgumentException("input: required");
        }
        Tensor t = r.getInput();
        InputDType dtype = switch (t.getDtype()) {
            case FLOAT32 -> InputDType.FLOAT32;
            case UINT8 -> InputDType.UINT8;
            case DTYPE_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException("input.dtype: must be FLOAT32 or UINT8, got "
                    + t.getDtype());
        };
        long[] shape = t.getShapeList().stream().mapToLong(Long::longValue).toArray();
        InputTensor input = new InputTensor(shape, dtype, t.getRawData().asReadOnlyByteBuffer());
        return new PredictCall(r.getModel().getName(), r.getModel().getVersion(), input, r.getMcSamples(),
                r.getReturnLogits(), r.getRequestId(), receivedNanos, deadlineNanos, cancelled);
    }

    public static PredictResponse toResponse(Prediction p) {
        PredictResponse.Builder b = PredictResponse.newBuilder()
                .setRequestId(p.requestId())
                .setMemberProbabilities(members(p, p.memberProbabilities()))
                .setMeanProbabilities(Tensor.newBuilder().addShape(p.batch()).addShape(p.classes())
                        .setDtype(DType.FLOAT32).setRawData(littleEndian(p.meanProbabilities())))
                .setTimings(Timings.newBuilder().setQueueMicros(p.queueMicros())
                        .setComputeMicros(p.computeMicros()).setTotalMicros(p.totalMicros())
                        .setBatchedSamples(p.batchedSamples()))
                .setServed(ModelRef.newBuilder().setName(p.name()).setVersion(p.version()))
                .setMethod(method(p.method()));
        if (p.logits() != null) {
            b.setLogits(members(p, p.logits()));
        }
        return b.build();
    }

    private static MemberProbabilities members(Prediction p, float[] values) {
        return MemberProbabilities.newBuilder().setMembers(p.members()).setBatch(p.batch())
                .setClasses(p.classes()).setData(littleEndian(values)).build();
    }

    /** float32 little-endian bytes, wrapped without a second copy. */
    public static ByteString littleEndian(float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return UnsafeByteOperations.unsafeWrap(buf.array());
    }

    /** Decodes float32 little-endian bytes. */
    public static float[] floats(ByteString bytes) {
        float[] out = new float[bytes.size() / Float.BYTES];
        bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Exhaustive, without default: a method added to core fails to compile here. */
    public static Method method(io.ensemblescope.core.models.Method m) {
        return switch (m) {
            case SINGLE -> Method.SINGLE;
            case MC_DROPOUT -> Method.MC_DROPOUT;
            case DEEP_ENSEMBLE -> Method.DEEP_ENSEMBLE;
            case BATCH_ENSEMBLE -> Method.BATCH_ENSEMBLE;
        };
    }

    static ModelState state(io.ensemblescope.inference.serving.ModelState s) {
        return switch (s) {
            case AVAILABLE -> ModelState.AVAILABLE;
            case LOADING -> ModelState.LOADING;
            case READY -> ModelState.READY;
            case FAILED_TO_LOAD -> ModelState.FAILED_TO_LOAD;
            case UNAVAILABLE -> ModelState.UNAVAILABLE;
        };
    }

    /** The request's batching, or null to use the server default. */
    public static BatchingConfig batching(boolean present, BatchingOptions o) {
        return present ? new BatchingConfig(o.getMaxBatchSize(), o.getMaxQueueDelayMicros(), o.getMaxQueueSize())
                : null;
    }

    public static ModelInfo toInfo(ModelView v) {
        Manifest m = v.manifest();
        if (m == null) {
            return ModelInfo.newBuilder().setRef(ModelRef.newBuilder().setName(v.name()).setVersion(v.version()))
                    .setState(ModelState.valueOf(v.state().name())).setReason(v.reason()).build();
        }
        Normalization.Builder norm = Normalization.newBuilder();
        for (float f : m.normalizationMean()) {
            norm.addMean(f);
        }
        for (float f : m.normalizationStd()) {
            norm.addStd(f);
        }
        ModelInfo.Builder b = ModelInfo.newBuilder()
                .setRef(ModelRef.newBuilder().setName(m.name()).setVersion(m.version()))
                .setMethod(method(m.network().method()))
                .setMembers(m.network().method() == io.ensemblescope.core.models.Method.MC_DROPOUT
                        ? m.network().mcSamples() : m.network().members())
                .setClasses(m.classes())
                .addAllClassNames(m.classNames())
                .setNormalization(norm)
                .setState(state(v.state()))
                .setDefaultMcSamples(m.network().mcSamples())
                .setArchitecture(m.network().architecture())
                .setDevice(v.device())
                .setMaxRequestBatch(v.maxRequestBatch())
                .setReason(v.reason())
                .setBatching(BatchingOptions.newBuilder().setMaxBatchSize(v.batching().maxBatchSize())
                        .setMaxQueueDelayMicros(v.batching().maxQueueDelayMicros())
                        .setMaxQueueSize(v.batching().maxQueueSize()));
        for (long d : m.inputShape()) {
            b.addInputShape(d);
        }
        return b.build();
    }
}

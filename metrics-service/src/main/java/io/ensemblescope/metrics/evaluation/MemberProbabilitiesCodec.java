package io.ensemblescope.metrics.evaluation;

import com.google.protobuf.ByteString;
import io.ensemblescope.api.v1.MemberProbabilities;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The wire form of member probabilities: float32 little-endian, member-major [k, B, C]. */
public final class MemberProbabilitiesCodec {
    private MemberProbabilitiesCodec() {}

    /** Encodes member-major [k, B, C] floats. */
    public static MemberProbabilities encode(float[] probs, int members, int batch, int classes) {
        if ((long) members * batch * classes != probs.length) {
            throw new IllegalArgumentException("probabilities: " + probs.length + " floats for k=" + members + ", B="
                    + batch + ", C=" + classes);
        }
        ByteBuffer bytes = ByteBuffer.allocate(probs.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(probs);
        return MemberProbabilities.newBuilder().setMembers(members).setBatch(batch).setClasses(classes)
                .setData(ByteString.copyFrom(bytes)).build();
    }

    /**
     * Decodes after checking the shape against the byte count.
     *
     * @throws IllegalArgumentException naming the field when a dimension is out of range or the byte count is wrong
     */
    public static float[] decode(MemberProbabilities p, int maxMembers) {
        if (p.getMembers() < 1 || p.getMembers() > maxMembers) {
            throw new IllegalArgumentException("probabilities.members: must be in [1, " + maxMembers + "], got "
                    + p.getMembers());
        }
        if (p.getBatch() < 1) {
            throw new IllegalArgumentException("probabilities.batch: must be >= 1, got " + p.getBatch());
        }
        if (p.getClasses() < 1) {
            throw new IllegalArgumentException("probabilities.classes: must be >= 1, got " + p.getClasses());
        }
        long floats = (long) p.getMembers() * p.getBatch() * p.getClasses();
        if (floats * Float.BYTES != p.getData().size()) {
            throw new IllegalArgumentException("probabilities.data: " + p.getData().size() + " bytes, expected k·B·C·4 = "
                    + floats * Float.BYTES + " for k=" + p.getMembers() + ", B=" + p.getBatch() + ", C="
                    + p.getClasses());
        }
        float[] out = new float[(int) floats];
        p.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}

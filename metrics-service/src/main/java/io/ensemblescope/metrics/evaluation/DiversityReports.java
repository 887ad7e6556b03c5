package io.ensemblescope.metrics.evaluation;

import io.ensemblescope.api.v1.DiversityReport;
import io.ensemblescope.api.v1.LayerDiversity;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.metrics.math.WeightDiversity;
import java.util.Arrays;

/** Turns a weight-diversity result into the DiversityReport contract. */
public final class DiversityReports {
    private DiversityReports() {}

    public static DiversityReport of(ModelRef checkpoint, Method method, WeightDiversity.Result r, String note) {
        DiversityReport.Builder b = DiversityReport.newBuilder()
                .setCheckpoint(checkpoint)
                .setMethod(method)
                .setMembers(r.members())
                .setMeanCosine(r.meanCosine())
                .setMeanNormalizedL2(r.meanNormalizedL2())
                .setNote(note == null ? "" : note);
        Arrays.stream(r.cosine()).forEach(b::addCosine);
        Arrays.stream(r.normalizedL2()).forEach(b::addNormalizedL2);
        for (WeightDiversity.Layer layer : r.layers()) {
            LayerDiversity.Builder l = LayerDiversity.newBuilder().setLayer(layer.name());
            Arrays.stream(layer.cosine()).forEach(l::addCosine);
            Arrays.stream(layer.normalizedL2()).forEach(l::addNormalizedL2);
            b.addLayers(l);
        }
        return b.build();
    }
}

package io.ensemblescope.metrics.evaluation;

import io.ensemblescope.api.ReportJson;
import io.ensemblescope.api.v1.EvaluationReport;
import io.ensemblescope.api.v1.MemberMetrics;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.OodReport;
import io.ensemblescope.api.v1.OodScores;
import io.ensemblescope.api.v1.ReliabilityBin;
import io.ensemblescope.api.v1.Split;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.SplitReport;
import io.ensemblescope.metrics.math.Conventions;
import io.ensemblescope.metrics.math.OodMetrics;
import io.ensemblescope.metrics.math.OodScore;
import io.ensemblescope.metrics.math.SplitMetrics;
import java.util.Arrays;
import java.util.Map;

/** Turns the library's results into the EvaluationReport contract, JSON included. */
public final class ReportProtos {
    private ReportProtos() {}

    /**
     * @throws IllegalStateException when there are OOD splits but no IN_DISTRIBUTION split to pair them with
     */
    public static EvaluationReport evaluation(String id, ModelRef model, Method method, int members, int classes,
                                              Map<Split, SplitMetrics> splits) {
        EvaluationReport.Builder report = EvaluationReport.newBuilder()
                .setEvaluationId(id)
                .setModel(model)
                .setMethod(method)
                .setMembers(members)
                .setClasses(classes)
                .setConventions(Conventions.TEXT);
        splits.forEach((split, m) -> report.addSplits(split(split, m)));
        Map.Entry<Split, SplitMetrics> in = splits.entrySet().stream()
                .filter(e -> e.getKey().getKind() == SplitKind.IN_DISTRIBUTION).findFirst().orElse(null);
        for (Map.Entry<Split, SplitMetrics> e : splits.entrySet()) {
            if (e.getKey().getKind() != SplitKind.OOD) {
                continue;
            }
            if (in == null) {
                throw new IllegalStateException("OOD metrics for split '" + e.getKey().getName()
                        + "' need an IN_DISTRIBUTION split to compare against, and none was sent");
            }
            report.addOod(ood(in.getKey().getName(), in.getValue(), e.getKey().getName(), e.getValue()));
        }
        return report.setJson(ReportJson.print(report.build())).build();
    }

    static SplitReport split(Split split, SplitMetrics m) {
        SplitReport.Builder b = SplitReport.newBuilder()
                .setSplit(split)
                .setSamples(m.samples())
                .setLabeled(m.labeled())
                .setAccuracy(m.accuracy())
                .setNll(m.nll())
                .setBrier(m.brier())
                .setEce(m.ece())
                .setAdaptiveEce(m.adaptiveEce())
                .setPredictiveEntropy(m.predictiveEntropy())
                .setExpectedEntropy(m.expectedEntropy())
                .setMutualInformation(m.mutualInformation())
                .setDisagreement(m.disagreement())
                .setMeanPairwiseKl(m.meanPairwiseKl());
        for (int i = 0; i < m.memberAccuracy().length; i++) {
            b.addMembers(MemberMetrics.newBuilder().setMember(i).setAccuracy(m.memberAccuracy()[i])
                    .setNll(m.memberNll()[i]));
        }
        for (io.ensemblescope.metrics.math.ReliabilityBin bin : m.reliability()) {
            b.addReliability(ReliabilityBin.newBuilder().setLower(bin.lower()).setUpper(bin.upper())
                    .setCount(bin.count()).setConfidence(bin.confidence()).setAccuracy(bin.accuracy()));
        }
        Arrays.stream(m.disagreementMatrix()).forEach(b::addDisagreementMatrix);
        return b.build();
    }

    static OodReport ood(String inName, SplitMetrics in, String oodName, SplitMetrics ood) {
        OodReport.Builder b = OodReport.newBuilder().setInSplit(inName).setOodSplit(oodName);
        for (OodScore score : OodScore.values()) {
            OodMetrics m = OodMetrics.of(in.scores().of(score), ood.scores().of(score));
            b.addScores(OodScores.newBuilder().setScore(score.id()).setAuroc(m.auroc()).setAupr(m.aupr())
                    .setAuprIn(m.auprIn()).setFpr95(m.fpr95()));
        }
        return b.build();
    }
}

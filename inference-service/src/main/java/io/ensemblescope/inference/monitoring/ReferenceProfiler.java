package io.ensemblescope.inference.monitoring;

import io.ensemblescope.api.v1.InferenceServiceGrpc;
import io.ensemblescope.api.v1.MemberProbabilities;
import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictResponse;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.metrics.math.SampleStatistics;

/**
 * Takes a checkpoint's reference profile through an InferenceService: the evaluation split goes in as ordinary
 * requests, so the statistics are exactly those the server computes on served traffic (same decoding, same
 * executors, same per-sample formulas).
 */
public final class ReferenceProfiler {
    private ReferenceProfiler() {}

    /**
     * @param model a concrete version, loaded on the server
     * @param dataset the data in words, recorded in the profile
     * @param manifestSha256 {@link ReferenceProfiles#manifestSha256} of that version
     * @throws IllegalStateException when the server answers from another version
     */
    public static ReferenceProfile profile(InferenceServiceGrpc.InferenceServiceBlockingStub inference, ModelRef model,
                                           ImageDataset data, String dataset, int batch, String manifestSha256) {
        ReferenceProfileBuilder builder = new ReferenceProfileBuilder();
        String method = "";
        for (int from = 0; from < data.size(); from += batch) {
            int n = Math.min(batch, data.size() - from);
            PredictResponse r = inference.predict(ImageTraffic.request(model, data, from, n, ""));
            if (!r.getServed().getVersion().equals(model.getVersion())) {
                throw new IllegalStateException("profile of " + model.getName() + "/" + model.getVersion()
                        + ": the server answered from version " + r.getServed().getVersion());
            }
            MemberProbabilities p = r.getMemberProbabilities();
            builder.add(SampleStatistics.of(ImageTraffic.memberProbabilities(r), p.getMembers(), p.getBatch(),
                    p.getClasses()));
            method = r.getMethod().name();
        }
        return builder.build(model.getName(), model.getVersion(), manifestSha256, method, dataset);
    }
}

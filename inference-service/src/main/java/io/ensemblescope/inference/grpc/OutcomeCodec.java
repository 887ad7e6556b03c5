package io.ensemblescope.inference.grpc;

import io.ensemblescope.api.v1.ReportOutcomesRequest;
import io.ensemblescope.api.v1.ReportOutcomesResponse;
import io.ensemblescope.inference.monitoring.Outcome;
import io.ensemblescope.inference.monitoring.OutcomeTally;
import java.util.List;

/** ReportOutcomes' messages to and from the monitor's records (the monitor validates the content). */
final class OutcomeCodec {
    private OutcomeCodec() {}

    static List<Outcome> outcomes(ReportOutcomesRequest r) {
        return r.getOutcomesList().stream().map(o -> new Outcome(o.getRequestId(),
                o.getLabelsList().stream().mapToInt(Integer::intValue).toArray())).toList();
    }

    static ReportOutcomesResponse response(OutcomeTally t) {
        return ReportOutcomesResponse.newBuilder().setAccepted(t.accepted()).setUnknown(t.unknown())
                .setSamples(t.samples()).build();
    }
}

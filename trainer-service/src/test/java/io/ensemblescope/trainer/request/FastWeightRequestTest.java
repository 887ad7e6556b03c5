package io.ensemblescope.trainer.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.util.JsonFormat;
import io.ensemblescope.api.v1.BatchEnsembleOptions;
import io.ensemblescope.api.v1.DatasetSpec;
import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.core.routines.FastWeightGroup;
import io.ensemblescope.datasets.catalog.DatasetCatalog;
import org.junit.jupiter.api.Test;

/**
 * The fast-weight parameter group travels from the request to the run's optimizer, and through the job's
 * {@code request.json} (what a resumed job and a member process read back) unchanged.
 */
class FastWeightRequestTest {
    private static TrainRequest request(Method method, BatchEnsembleOptions be) {
        return TrainRequest.newBuilder().setModelName("m").setMethod(method).setMembers(2)
                .setArchitecture("mnist-mlp").setDataset(DatasetSpec.newBuilder().setName("mnist").setLimit(100))
                .setEpochs(1).setBatchSize(10).setBatchEnsemble(be).build();
    }

    private static FastWeightGroup group(TrainRequest r) {
        return TrainRequests.toJobSpec(r, DatasetCatalog.shared()).config().optimizer().fastWeights();
    }

    @Test
    void theRequestsGroupReachesTheOptimizerAndUnsetFieldsTrainFastWeightsPlainly() throws Exception {
        BatchEnsembleOptions tenfoldNoDecay = BatchEnsembleOptions.newBuilder().setFastWeightLrMultiplier(10f)
                .setDecayFastWeights(false).build();
        assertEquals(new FastWeightGroup(10f, false), group(request(Method.BATCH_ENSEMBLE, tenfoldNoDecay)));
        assertEquals(FastWeightGroup.PLAIN, group(request(Method.BATCH_ENSEMBLE,
                BatchEnsembleOptions.getDefaultInstance())));
        assertEquals(FastWeightGroup.PLAIN, group(request(Method.BATCH_ENSEMBLE, BatchEnsembleOptions.newBuilder()
                .setDecayFastWeights(true).build())));
        assertEquals(FastWeightGroup.PLAIN, group(request(Method.DEEP_ENSEMBLE, tenfoldNoDecay)),
                "no fast weights, no group");

        // request.json: an explicit "no decay" survives the JSON round trip a resume goes through.
        TrainRequest original = request(Method.BATCH_ENSEMBLE, tenfoldNoDecay);
        TrainRequest.Builder read = TrainRequest.newBuilder();
        JsonFormat.parser().merge(JsonFormat.printer().print(original), read);
        assertEquals(original, read.build());
        assertEquals(new FastWeightGroup(10f, false), group(read.build()));
    }
}

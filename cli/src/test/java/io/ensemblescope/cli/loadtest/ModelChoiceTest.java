package io.ensemblescope.cli.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelChoiceTest {
    private static ModelChoice.Candidate c(String name, String version, Method method, int k, String created) {
        return new ModelChoice.Candidate(ModelRef.newBuilder().setName(name).setVersion(version).build(), method, k,
                created);
    }

    private static List<String> names(List<ModelRef> refs) {
        return refs.stream().map(r -> r.getName() + "/" + r.getVersion()).toList();
    }

    @Test
    void takesOneOfEachMethodFromTheNewestStudyAndSeed() {
        List<ModelChoice.Candidate> store = List.of(
                c("mnist-single-k1-s1-0123456789", "v1", Method.SINGLE, 1, "2026-11-29T10:00:00Z"),
                c("mnist-single-k1-s2-0123456789", "v1", Method.SINGLE, 1, "2026-11-29T10:01:00Z"),
                c("mnist-mc-dropout-k1-s1-abcdef0123", "v1", Method.MC_DROPOUT, 1, "2026-11-29T10:02:00Z"),
                c("mnist-deep-ensemble-k4-s1-aaaaaaaaaa", "v1", Method.DEEP_ENSEMBLE, 4, "2026-11-29T10:03:00Z"),
                c("mnist-batch-ensemble-k4-s1-bbbbbbbbbb", "v1", Method.BATCH_ENSEMBLE, 4, "2026-11-29T10:04:00Z"),
                c("mnist-batch-ensemble-k4-s1-bbbbbbbbbb", "v2", Method.BATCH_ENSEMBLE, 4, "2026-11-29T10:05:00.5Z"),
                c("cifar10-single-k1-s1-cccccccccc", "v1", Method.SINGLE, 1, "2026-11-28T09:00:00Z"),
                c("mnist-deep-ensemble-k2-s1-dddddddddd", "v1", Method.DEEP_ENSEMBLE, 2, "2026-11-29T09:00:00Z"));
        assertEquals(List.of("mnist-single-k1-s1-0123456789/v1", "mnist-mc-dropout-k1-s1-abcdef0123/v1",
                "mnist-deep-ensemble-k4-s1-aaaaaaaaaa/v1", "mnist-batch-ensemble-k4-s1-bbbbbbbbbb/v2"),
                names(ModelChoice.latestStudy(store)));
    }

    @Test
    void namesOutsideTheStudyPatternTakeTheNewestOfEachMethodWithOneK() {
        // A running server lists no creation times: its own order decides.
        List<ModelChoice.Candidate> listed = List.of(
                c("be", "v1", Method.BATCH_ENSEMBLE, 4, ""),
                c("de", "v1", Method.DEEP_ENSEMBLE, 2, ""),
                c("single", "v1", Method.SINGLE, 1, ""),
                c("de8", "v1", Method.DEEP_ENSEMBLE, 4, ""),
                c("be", "v2", Method.BATCH_ENSEMBLE, 4, ""));
        assertEquals(List.of("single/v1", "de8/v1", "be/v2"), names(ModelChoice.latestStudy(listed)));
        assertEquals(List.of(), ModelChoice.latestStudy(List.of()));
    }
}

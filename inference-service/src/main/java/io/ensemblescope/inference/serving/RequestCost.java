package io.ensemblescope.inference.serving;

import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.core.models.Method;
import java.util.concurrent.RejectedExecutionException;

/**
 * The work one request asks for — rows × members (T passes for MC Dropout) × sample elements — against the server's
 * limit, so no single request can occupy the accelerator for seconds: one MC-Dropout request of T = 256 and
 * B = 4,096 once took 12.6 s and 836 MiB. Beyond the limit it is RESOURCE_EXHAUSTED (valid, but too much at once).
 */
final class RequestCost {
    private RequestCost() {}

    static void check(int batch, int members, Manifest model, long limit) {
        long sample = 1;
        for (long d : model.inputShape()) {
            sample *= d;
        }
        long cost = (long) batch * members * sample;
        if (cost > limit) {
            boolean mc = model.network().method() == Method.MC_DROPOUT;
            throw new RejectedExecutionException("input: " + batch + " samples × " + members
                    + (mc ? " MC-Dropout passes" : " members") + " × " + sample + " elements = " + cost
                    + " exceeds this server's per-request limit of " + limit + "; send fewer samples"
                    + (mc ? " or a smaller mc_samples" : "") + " per request");
        }
    }
}

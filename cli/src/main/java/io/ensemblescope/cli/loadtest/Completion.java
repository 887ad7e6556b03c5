package io.ensemblescope.cli.loadtest;

import io.ensemblescope.api.v1.Timings;
import io.grpc.Status;

/** The end of one request: the server's timings (null when the RPC has none or failed) and its status. */
@FunctionalInterface
interface Completion {
    void completed(Timings timings, Status status);
}

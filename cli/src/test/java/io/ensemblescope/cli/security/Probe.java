package io.ensemblescope.cli.security;

import com.google.protobuf.MessageLite;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One malformed call of the fuzz run: the method, the raw messages sent, and how the client behaves (a deadline, a
 * cancel after sending).
 *
 * @param category the results-table row it counts under
 * @param method the method called (its service picks the server)
 * @param messages request messages as raw bytes
 * @param deadlineMillis the call's deadline
 * @param cancel cancel instead of half-closing
 */
record Probe(String category, MethodDescriptor<?, ?> method, List<byte[]> messages, long deadlineMillis,
             boolean cancel) {
    static final long DEADLINE_MILLIS = 30_000;

    static Probe of(String category, MethodDescriptor<?, ?> method, MessageLite... messages) {
        return new Probe(category, method, java.util.Arrays.stream(messages).map(MessageLite::toByteArray).toList(),
                DEADLINE_MILLIS, false);
    }

    static Probe raw(String category, MethodDescriptor<?, ?> method, byte[] bytes) {
        return new Probe(category, method, List.of(bytes), DEADLINE_MILLIS, false);
    }

    Probe withDeadline(long millis) {
        return new Probe(category, method, messages, millis, cancel);
    }

    Probe cancelled() {
        return new Probe(category, method, messages, deadlineMillis, true);
    }

    CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
    }

    String service() {
        return method.getServiceName();
    }
}

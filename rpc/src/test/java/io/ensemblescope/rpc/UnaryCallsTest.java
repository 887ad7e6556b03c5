package io.ensemblescope.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.internal.testing.StreamRecorder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UnaryCallsTest {
    @Test
    void aValueIsSentThenTheCallCompletes() throws Exception {
        StreamRecorder<String> responses = StreamRecorder.create();
        UnaryCalls.answer(responses, () -> "ok");
        assertTrue(responses.awaitCompletion(0, TimeUnit.SECONDS));
        assertNull(responses.getError());
        assertEquals(List.of("ok"), responses.getValues());
    }

    @Test
    void aFailureBecomesItsStatus() throws Exception {
        StreamRecorder<String> responses = StreamRecorder.create();
        UnaryCalls.answer(responses, () -> {
            throw new IllegalArgumentException("name: must not be empty");
        });
        assertTrue(responses.awaitCompletion(0, TimeUnit.SECONDS));
        Status status = Status.fromThrowable(responses.getError());
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
        assertEquals("name: must not be empty", status.getDescription());
        assertEquals(List.of(), responses.getValues());
    }

    @Test
    void anInterruptedBodyIsCancelledAndKeepsTheInterruptFlag() throws Exception {
        StreamRecorder<String> responses = StreamRecorder.create();
        try {
            UnaryCalls.answer(responses, () -> {
                throw new InterruptedException("stopping");
            });
            assertTrue(Thread.currentThread().isInterrupted(), "interrupt flag restored");
        } finally {
            Thread.interrupted();
        }
        assertEquals(Status.Code.CANCELLED, Status.fromThrowable(responses.getError()).getCode());
    }

    @Test
    void aServiceMayMapItsOwnFailures() throws Exception {
        StreamRecorder<String> responses = StreamRecorder.create();
        UnaryCalls.answer(responses, () -> {
            throw new UnsupportedOperationException("no store");
        }, e -> Status.UNIMPLEMENTED.withDescription(e.getMessage()).asRuntimeException());
        assertEquals(Status.Code.UNIMPLEMENTED, Status.fromThrowable(responses.getError()).getCode());
    }
}

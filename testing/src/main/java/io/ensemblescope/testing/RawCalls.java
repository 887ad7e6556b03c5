package io.ensemblescope.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls a gRPC method with bytes no generated stub would send: the request goes out exactly as given, so a test can
 * check what a server does with a message that does not parse.
 */
public final class RawCalls {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private RawCalls() {}

    /** A descriptor for {@code fullMethodName} ("package.Service/Method") whose messages are raw bytes. */
    public static MethodDescriptor<byte[], byte[]> method(String fullMethodName, MethodDescriptor.MethodType type) {
        return MethodDescriptor.newBuilder(BYTES, BYTES).setType(type).setFullMethodName(fullMethodName).build();
    }

    /**
     * One call of any type: sends {@code messages} as they are, then half-closes (or cancels, as a client that goes
     * away), reads and drops every response, and returns the status the call ends with.
     */
    public static Status exchange(Channel channel, MethodDescriptor<?, ?> method, List<byte[]> messages,
                                  CallOptions options, boolean cancel) {
        ClientCall<byte[], byte[]> call = channel.newCall(method(method.getFullMethodName(), method.getType()),
                options);
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(Integer.MAX_VALUE);
        for (byte[] m : messages) {
            call.sendMessage(m);
        }
        if (cancel) {
            call.cancel("client went away", null);
        } else {
            call.halfClose();
        }
        try {
            return closed.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(method.getFullMethodName() + " did not close within 60 s", e);
        }
    }

    /** One unary call with raw request bytes; throws the call's StatusRuntimeException when it fails. */
    public static byte[] unary(Channel channel, String fullMethodName, byte[] request, CallOptions options) {
        return ClientCalls.blockingUnaryCall(channel, method(fullMethodName, MethodDescriptor.MethodType.UNARY),
                options, request);
    }
}

package io.ensemblescope.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

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

    /** One unary call with raw request bytes; throws the call's StatusRuntimeException when it fails. */
    public static byte[] unary(Channel channel, String fullMethodName, byte[] request, CallOptions options) {
        return ClientCalls.blockingUnaryCall(channel, method(fullMethodName, MethodDescriptor.MethodType.UNARY),
                options, request);
    }
}

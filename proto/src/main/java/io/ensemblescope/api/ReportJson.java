package io.ensemblescope.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * Reports as JSON in the proto3 JSON mapping (field names in lowerCamelCase, every field printed, zeros included), so
 * the JSON and the proto carry the same content and the JSON parses back into the proto.
 */
public final class ReportJson {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

    private ReportJson() {}

    public static String print(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("report: cannot print as JSON: " + e.getMessage(), e);
        }
    }
}

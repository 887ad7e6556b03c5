package io.ensemblescope.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what grpc-java logs (java.util.logging, logger {@code io.grpc}) at WARNING or above while open, e.g. the
 * SEVERE "Exception while executing runnable" stack trace it writes when a request escapes the service's handling.
 */
public final class GrpcLogRecorder extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("io.grpc");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    public GrpcLogRecorder() {
        setLevel(Level.WARNING);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            records.add(record);
        }
    }

    /** Records with a stack trace attached. */
    public List<LogRecord> withThrowable() {
        return records.stream().filter(r -> r.getThrown() != null).toList();
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}

package io.ensemblescope.inference.serving;

/**
 * The most a LoadModel request may ask of dynamic batching: batching is server policy, and these are the operator's
 * maxima. A caller once lifted the batch limit with max_batch_size 2³¹−1 and stalled every batch-1 Predict for an
 * hour with max_queue_delay; now such values are refused, naming the field.
 *
 * @param maxBatchSize largest max_batch_size (also the largest request batch while batching)
 * @param maxQueueDelayMicros largest max_queue_delay_micros
 * @param maxQueueSize largest max_queue_size
 */
public record BatchingLimits(int maxBatchSize, long maxQueueDelayMicros, int maxQueueSize) {
    /** Default longest queue delay a client may ask for: 100 ms. */
    public static final long DEFAULT_MAX_QUEUE_DELAY_MICROS = 100_000;

    public BatchingLimits {
        if (maxBatchSize < 1 || maxQueueDelayMicros < 0 || maxQueueSize < 1) {
            throw new IllegalArgumentException("batching limits: batch and queue must be >= 1, delay >= 0");
        }
    }

    /** Batches up to the server's request batch, 100 ms of delay, the default queue. */
    public static BatchingLimits of(int maxRequestBatch) {
        return new BatchingLimits(maxRequestBatch, DEFAULT_MAX_QUEUE_DELAY_MICROS, BatchingConfig.DEFAULT_QUEUE);
    }

    /** The requested batching when every value is within these limits. */
    public BatchingConfig check(BatchingConfig requested) {
        if (requested.maxBatchSize() > maxBatchSize) {
            throw new IllegalArgumentException("batching.max_batch_size: must be <= " + maxBatchSize
                    + " (this server's maximum), got " + requested.maxBatchSize());
        }
        if (requested.maxQueueDelayMicros() > maxQueueDelayMicros) {
            throw new IllegalArgumentException("batching.max_queue_delay_micros: must be <= " + maxQueueDelayMicros
                    + " (this server's maximum), got " + requested.maxQueueDelayMicros());
        }
        if (requested.maxQueueSize() > maxQueueSize) {
            throw new IllegalArgumentException("batching.max_queue_size: must be <= " + maxQueueSize
                    + " (this server's maximum), got " + requested.maxQueueSize());
        }
        return requested;
    }
}

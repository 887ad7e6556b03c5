package io.ensemblescope.inference.serving;

/**
 * Dynamic batching of one model, as Triton's dynamic batcher: requests waiting together coalesce into one forward of
 * at most {@code maxBatchSize} samples, the first waiting at most {@code maxQueueDelayMicros} for company.
 *
 * @param maxBatchSize samples per coalesced forward; 0 disables batching
 * @param maxQueueDelayMicros longest wait for others to join
 * @param maxQueueSize requests allowed to wait; more are rejected
 */
public record BatchingConfig(int maxBatchSize, long maxQueueDelayMicros, int maxQueueSize) {
    public static final int DEFAULT_QUEUE = 1024;
    public static final BatchingConfig DISABLED = new BatchingConfig(0, 0, DEFAULT_QUEUE);

    public BatchingConfig {
        if (maxBatchSize < 0) {
            throw new IllegalArgumentException("batching.max_batch_size must be >= 0, got " + maxBatchSize);
        }
        if (maxQueueDelayMicros < 0) {
            throw new IllegalArgumentException("batching.max_queue_delay_micros must be >= 0, got "
                    + maxQueueDelayMicros);
        }
        if (maxQueueSize < 0) {
            throw new IllegalArgumentException("batching.max_queue_size must be >= 0, got " + maxQueueSize);
        }
        if (maxQueueSize == 0) {
            maxQueueSize = DEFAULT_QUEUE;
        }
    }

    public boolean enabled() {
        return maxBatchSize > 0;
    }
}

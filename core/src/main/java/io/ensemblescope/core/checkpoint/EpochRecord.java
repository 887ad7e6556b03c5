package io.ensemblescope.core.checkpoint;

/**
 * One epoch of a run's history.
 *
 * @param epoch 1-based
 * @param loss mean training cross-entropy over the epoch (nats)
 * @param validationAccuracy accuracy of the run's (ensemble-mean) prediction on the validation split
 * @param seconds wall-clock seconds of the epoch (training and validation)
 * @param imagesPerSecond training throughput, each image counted once
 */
public record EpochRecord(int epoch, double loss, double validationAccuracy, double seconds,
                          double imagesPerSecond) {}

package io.ensemblescope.inference.monitoring;

/**
 * What one report of outcomes did.
 *
 * @param accepted outcomes matched to a held prediction and added to its model's calibration window
 * @param unknown outcomes whose id is not held (evicted, model retired, already reported, never seen)
 * @param samples labeled samples added
 */
public record OutcomeTally(int accepted, int unknown, long samples) {}

package io.ensemblescope.core.fused;

/**
 * What serving one weight layer costs: its position in the network, the fusion chosen and the bytes of the tensors
 * it keeps for that choice (beside the network's own parameters, which stay loaded).
 *
 * @param name the layer's path in the block tree, e.g. "02Linear" or "04SequentialBlock/01ParallelBlock/…"
 * @param fusion the form it runs in
 * @param bytes bytes of the serving tensors of that form
 * @param batchNormFolded whether the BatchNorm after it was folded into it
 */
public record FusedLayer(String name, Fusion fusion, long bytes, boolean batchNormFolded) {}

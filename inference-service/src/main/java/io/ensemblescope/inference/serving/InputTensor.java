package io.ensemblescope.inference.serving;

import java.nio.ByteBuffer;

/**
 * A request's input as it arrived: shape, element type and raw little-endian bytes (a read-only view, never copied).
 */
public record InputTensor(long[] shape, InputDType dtype, ByteBuffer data) {}

package io.ensemblescope.core.checkpoint;

import java.util.Map;

/**
 * The trainable parameters of one layer of one replica, as plain arrays (running statistics excluded).
 *
 * @param layer layer path in the network, e.g. "01SequentialBlock_02BatchEnsembleLinear"
 * @param kind what the layer is: {@code batch_ensemble} (arrays weight, r, s, bias — r and s as the forward uses
 *     them, member 0 overridden when unperturbed), {@code batch_norm} (gamma, beta; shared by BatchEnsemble members)
 *     or {@code plain}
 * @param arrays parameter name → array
 */
public record LayerParameters(String layer, String kind, Map<String, Array> arrays) {
    public static final String BATCH_ENSEMBLE = "batch_ensemble";
    public static final String BATCH_NORM = "batch_norm";
    public static final String PLAIN = "plain";

    /** A row-major float array with its shape. */
    public record Array(long[] shape, float[] values) {}
}

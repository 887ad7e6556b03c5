package io.ensemblescope.core.layers;

/** How BatchEnsemble's fast weights r and s start. */
public enum FastWeightInit {
    /** N(1, σ²): the uncertainty-baselines and TorchUncertainty default (σ = 0.5). */
    NORMAL,
    /** Independent random signs ±1 (Wen et al.'s alternative). */
    RANDOM_SIGN
}

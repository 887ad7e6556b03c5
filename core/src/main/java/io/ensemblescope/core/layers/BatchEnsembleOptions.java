package io.ensemblescope.core.layers;

/**
 * How a BatchEnsemble layer perturbs its shared weight.
 *
 * @param members ensemble size k (≥ 1)
 * @param rank rank r of each member's perturbation Σ_j s_ij r_ijᵀ
 * @param init fast-weight initialisation
 * @param initStd σ of the NORMAL initialisation
 * @param member0Unperturbed keep member 0 on the plain W (r_0 = 1, s_0 = 1/r, not trained), as the paper's code does
 */
public record BatchEnsembleOptions(int members, int rank, FastWeightInit init, float initStd,
                                   boolean member0Unperturbed) {
    public BatchEnsembleOptions {
        if (members < 1) {
            throw new IllegalArgumentException("members must be >= 1, got " + members);
        }
        if (rank < 1) {
            throw new IllegalArgumentException("batch_ensemble.rank must be >= 1, got " + rank);
        }
        if (!(initStd >= 0)) {
            throw new IllegalArgumentException("batch_ensemble.init_std must be >= 0, got " + initStd);
        }
    }

    /** Rank 1, N(1, 0.5) fast weights, every member perturbed. */
    public static BatchEnsembleOptions defaults(int members) {
        return new BatchEnsembleOptions(members, 1, FastWeightInit.NORMAL, 0.5f, false);
    }

    public BatchEnsembleOptions withRank(int r) {
        return new BatchEnsembleOptions(members, r, init, initStd, member0Unperturbed);
    }

    public BatchEnsembleOptions withMember0Unperturbed(boolean on) {
        return new BatchEnsembleOptions(members, rank, init, initStd, on);
    }
}

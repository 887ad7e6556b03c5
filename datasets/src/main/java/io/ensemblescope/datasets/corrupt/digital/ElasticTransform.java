package io.ensemblescope.datasets.corrupt.digital;

import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.image.HwcImage;
import io.ensemblescope.datasets.corrupt.ops.Affine;
import io.ensemblescope.datasets.corrupt.ops.Bilinear;
import io.ensemblescope.datasets.corrupt.ops.Border;
import io.ensemblescope.datasets.corrupt.ops.SeparableFilter;
import java.util.SplittableRandom;

/**
 * Elastic transform (Simard et al.): a random affine warp of three anchor points (± U(affine·n)), then a smooth random
 * displacement field (Gaussian(U(−1,1), σ·n, truncate 3)·α·n) sampled bilinearly with reflection. (α, σ, affine)
 * = (0,0,.08) (.05,.2,.07) (.08,.06,.06) (.1,.04,.05) (.1,.03,.03), all multiplied by the side n.
 */
public final class ElasticTransform implements Corruption {
    private static final double[][] PARAMS = {{0, 0, .08}, {.05, .2, .07}, {.08, .06, .06}, {.1, .04, .05},
        {.1, .03, .03}};

    @Override
    public String name() {
        return "elastic_transform";
    }

    @Override
    public HwcImage apply(HwcImage image, int severity, SplittableRandom rng) {
        int n = image.height();
        if (image.width() != n) {
            throw new IllegalArgumentException("elastic_transform needs square images, got " + n + "x" + image.width());
        }
        double[] p = PARAMS[Corruption.level(severity)];
        double alpha = p[0] * n;
        double sigma = p[1] * n;
        double jitter = p[2] * n;
        double centre = n / 2;
        double half = n / 3;
        double[][] src = {{centre + half, centre + half}, {centre + half, centre - half}, {centre - half, centre - half}};
        double[][] dst = new double[3][2];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                dst[i][j] = src[i][j] + rng.nextDouble(-jitter, jitter);
            }
        }
        double[] m = Affine.fromPoints(src, dst);
        HwcImage warped = image.mapPlanes(pl -> Affine.warp(pl, n, n, m, Border.REFLECT_101));
        double[] dx = displacement(n, sigma, alpha, rng);
        double[] dy = displacement(n, sigma, alpha, rng);
        return warped.mapPlanes(pl -> {
            double[] out = new double[pl.length];
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    int i = y * n + x;
                    out[i] = Bilinear.sampleReflect(pl, n, n, y + dy[i], x + dx[i]);
                }
            }
            return out;
        });
    }

    private static double[] displacement(int n, double sigma, double alpha, SplittableRandom rng) {
        double[] field = new double[n * n];
        for (int i = 0; i < field.length; i++) {
            field[i] = rng.nextDouble(-1, 1);
        }
        field = SeparableFilter.gaussian(field, n, n, sigma, 3.0, Border.REFLECT);
        for (int i = 0; i < field.length; i++) {
            field[i] *= alpha;
        }
        return field;
    }
}

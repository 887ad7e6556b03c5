/**
 * CIFAR-10-C (Hendrycks &amp; Dietterich, ICLR 2019): the 15 benchmark corruptions and 4 extras with the published
 * parameters, regenerated deterministically from a seed ({@link io.ensemblescope.datasets.corrupt.Cifar10CGenerator}),
 * written in or read from the released .npy layout ({@link io.ensemblescope.datasets.corrupt.Cifar10CRelease}).
 *
 * <p>Where this differs from the reference generator (make_cifar_c.py), beyond the random streams (the reference is
 * unseeded, so only distributions can match):
 * <ul>
 *   <li>All arithmetic is float64 (the reference uses float32 in zoom_blur, snow, spatter and elastic_transform);
 *       the final uint8 truncation allows 1e-6 of a level of slack so exact integers survive the [0,1] round trip.</li>
 *   <li>impulse_noise: per-element Bernoulli salt/pepper (current scikit-image); 2019-era scikit-image set a fixed
 *       number of salt and pepper positions instead. Same expected amount.</li>
 *   <li>shot_noise: exact Poisson (multiplication / PTRS), a different sampler from NumPy's, same distribution.</li>
 *   <li>motion_blur, snow: ImageMagick's MotionBlurImage is reimplemented from its definition (one-sided Gaussian,
 *       rounded ceil offsets, edge clamping) in float64, then rounded to 8 bits as the PNG round trip does;
 *       ImageMagick's Q16 intermediate quantisation is not modelled.</li>
 *   <li>elastic_transform: OpenCV's warpAffine interpolates with 1/32-pixel fixed-point weights; here exact bilinear.
 *       The displacement resampling matches scipy.ndimage.map_coordinates(order=1, mode='reflect').</li>
 *   <li>pixelate: Pillow's BOX filter windows and separable pass order with rounding after each pass, in float64
 *       instead of Pillow's 22-bit fixed point (at most ±1 level, rarely).</li>
 *   <li>jpeg_compression: javax.imageio (IJG libjpeg 6b, 4:2:0, quality mapped by jpeg_quality_scaling) instead of
 *       Pillow's libjpeg build; tables and subsampling are the same, bytes may differ slightly.</li>
 *   <li>frost: textures decoded with javax.imageio instead of OpenCV (PNG alpha dropped in both); cv2.resize's
 *       fixed-point bilinear replaced by float64 bilinear rounded to uint8.</li>
 *   <li>spatter (water branch): Canny, the 5×5 chamfer distance transform, equalizeHist and the 8-bit emboss filter
 *       are reimplemented from OpenCV's definitions (float gradient-direction thresholds instead of OpenCV's integer
 *       tan tables); an all-dry layer leaves the image unchanged where the reference divides 0/0.</li>
 *   <li>Images must be 3×32×32: several parameters (plasma map 32, glass-blur sweep, elastic scales) are defined for
 *       CIFAR's size.</li>
 * </ul>
 * Verified against SciPy: clipped zoom, Gaussian filtering (nearest / reflect) and map_coordinates agree to 1e-15.
 */
package io.ensemblescope.datasets.corrupt;

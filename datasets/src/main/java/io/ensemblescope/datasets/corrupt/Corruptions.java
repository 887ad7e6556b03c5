package io.ensemblescope.datasets.corrupt;

import io.ensemblescope.datasets.corrupt.blur.DefocusBlur;
import io.ensemblescope.datasets.corrupt.blur.GaussianBlur;
import io.ensemblescope.datasets.corrupt.blur.GlassBlur;
import io.ensemblescope.datasets.corrupt.blur.MotionBlur;
import io.ensemblescope.datasets.corrupt.blur.ZoomBlur;
import io.ensemblescope.datasets.corrupt.digital.Contrast;
import io.ensemblescope.datasets.corrupt.digital.ElasticTransform;
import io.ensemblescope.datasets.corrupt.digital.HsvAdjust;
import io.ensemblescope.datasets.corrupt.digital.JpegCompression;
import io.ensemblescope.datasets.corrupt.digital.Pixelate;
import io.ensemblescope.datasets.corrupt.image.Corruption;
import io.ensemblescope.datasets.corrupt.noise.GaussianNoise;
import io.ensemblescope.datasets.corrupt.noise.ImpulseNoise;
import io.ensemblescope.datasets.corrupt.noise.ShotNoise;
import io.ensemblescope.datasets.corrupt.noise.SpeckleNoise;
import io.ensemblescope.datasets.corrupt.weather.Fog;
import io.ensemblescope.datasets.corrupt.weather.Frost;
import io.ensemblescope.datasets.corrupt.weather.FrostTextures;
import io.ensemblescope.datasets.corrupt.weather.Snow;
import io.ensemblescope.datasets.corrupt.weather.Spatter;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The corruption registry: names in the reference's order (15 benchmark corruptions, then the 4 extras). */
public final class Corruptions {
    public static final String FROST = "frost";
    /** The 15 corruptions of the CIFAR-10-C benchmark. */
    public static final List<String> BENCHMARK = List.of("gaussian_noise", "shot_noise", "impulse_noise",
            "defocus_blur", "glass_blur", "motion_blur", "zoom_blur", "snow", FROST, "fog", "brightness", "contrast",
            "elastic_transform", "pixelate", "jpeg_compression");
    /** The 4 held-out extra corruptions. */
    public static final List<String> EXTRA = List.of("speckle_noise", "gaussian_blur", "spatter", "saturate");
    public static final List<String> ALL = Stream.concat(BENCHMARK.stream(), EXTRA.stream()).toList();

    private Corruptions() {
    }

    /** Returns {@code name} if it is one of {@link #ALL}. */
    public static String requireKnown(String name) {
        if (!ALL.contains(name)) {
            throw new NoSuchElementException("corruption: unknown name '" + name + "', expected one of " + ALL);
        }
        return name;
    }

    /**
     * The corruption called {@code name}. Frost needs {@code frost} textures (may be null for any other corruption).
     *
     * @throws NoSuchElementException for an unknown name
     * @throws IllegalStateException  for frost without textures
     */
    public static Corruption byName(String name, FrostTextures frost) {
        requireKnown(name);
        if (FROST.equals(name)) {
            if (frost == null) {
                throw new IllegalStateException("corruption frost needs frost textures (frostDir)");
            }
            return new Frost(frost);
        }
        Supplier<Corruption> s = switch (name) {
            case "gaussian_noise" -> GaussianNoise::new;
            case "shot_noise" -> ShotNoise::new;
            case "impulse_noise" -> ImpulseNoise::new;
            case "speckle_noise" -> SpeckleNoise::new;
            case "defocus_blur" -> DefocusBlur::new;
            case "glass_blur" -> GlassBlur::new;
            case "motion_blur" -> MotionBlur::new;
            case "zoom_blur" -> ZoomBlur::new;
            case "gaussian_blur" -> GaussianBlur::new;
            case "snow" -> Snow::new;
            case "fog" -> Fog::new;
            case "spatter" -> Spatter::new;
            case "brightness" -> HsvAdjust::brightness;
            case "saturate" -> HsvAdjust::saturate;
            case "contrast" -> Contrast::new;
            case "elastic_transform" -> ElasticTransform::new;
            case "pixelate" -> Pixelate::new;
            case "jpeg_compression" -> JpegCompression::new;
            default -> throw new IllegalStateException("corruption " + name + " is listed but not constructible");
        };
        return s.get();
    }
}

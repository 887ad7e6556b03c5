package io.ensemblescope.datasets;

/**
 * {@code rotate-<deg>}: rotates each image about its centre by deg degrees counter-clockwise (as displayed, the
 * convention of torchvision and PIL), with bilinear interpolation and zero fill outside the source image.
 */
public record Rotation(double degrees) implements Shift {
    public static final String PREFIX = "rotate-";
    /** sin/cos this close to an integer are snapped so right angles move pixels exactly. */
    private static final double SNAP = 1e-12;

    static Rotation parse(String argument) {
        return new Rotation(ShiftFactory.number(PREFIX, argument, "an angle in degrees"));
    }

    @Override
    public ImageDataset apply(ImageDataset images, int firstIndex, long seed) {
        double rad = Math.toRadians(degrees);
        double cos = snap(Math.cos(rad));
        double sin = snap(Math.sin(rad));
        int h = images.height();
        int w = images.width();
        double cy = (h - 1) / 2.0;
        double cx = (w - 1) / 2.0;
        byte[] src = images.pixels();
        byte[] out = new byte[src.length];
        int planes = images.size() * images.channels();
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    // Inverse map: which source point lands on (x, y). With y pointing down, a counter-clockwise
                    // turn by θ sends offset (dx, dy) to (dx cosθ + dy sinθ, −dx sinθ + dy cosθ).
                    double dx = x - cx;
                    double dy = y - cy;
                    double sx = cx + dx * cos - dy * sin;
                    double sy = cy + dx * sin + dy * cos;
                    out[base + y * w + x] = (byte) Math.round(bilinear(src, base, h, w, sx, sy));
                }
            }
        }
        return images.withPixels(images.name(), out);
    }

    private static double bilinear(byte[] src, int base, int h, int w, double sx, double sy) {
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        return (1 - fy) * ((1 - fx) * at(src, base, h, w, x0, y0) + fx * at(src, base, h, w, x0 + 1, y0))
                + fy * ((1 - fx) * at(src, base, h, w, x0, y0 + 1) + fx * at(src, base, h, w, x0 + 1, y0 + 1));
    }

    private static int at(byte[] src, int base, int h, int w, int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0 : src[base + y * w + x] & 0xFF;
    }

    private static double snap(double v) {
        double r = Math.rint(v);
        return Math.abs(v - r) < SNAP ? r : v;
    }
}

package io.ensemblescope.datasets.corrupt.ops;

import java.util.SplittableRandom;

/**
 * Diamond-square height map used by fog: side {@code mapSize} (a power of two, wrapping at the edges), start wibble
 * 100, each new point the mean of its four neighbours plus {@code wibble·U(−wibble, wibble)}, wibble divided by
 * {@code wibbleDecay} per level; normalised to [0, 1].
 */
public final class PlasmaFractal {
    private PlasmaFractal() {
    }

    public static double[] generate(int mapSize, double wibbleDecay, SplittableRandom rng) {
        if (mapSize < 2 || (mapSize & (mapSize - 1)) != 0) {
            throw new IllegalArgumentException("mapSize must be a power of two >= 2, got " + mapSize);
        }
        double[] map = new double[mapSize * mapSize];
        double wibble = 100;
        for (int step = mapSize; step >= 2; step /= 2) {
            int half = step / 2;
            // squares: centre of each step×step cell from its four corners
            for (int y = 0; y < mapSize; y += step) {
                for (int x = 0; x < mapSize; x += step) {
                    double sum = at(map, mapSize, y, x) + at(map, mapSize, y + step, x)
                            + at(map, mapSize, y, x + step) + at(map, mapSize, y + step, x + step);
                    map[(y + half) * mapSize + x + half] = wibbled(sum, wibble, rng);
                }
            }
            // diamonds: edge midpoints from the two corners and the two neighbouring centres
            for (int y = 0; y < mapSize; y += step) {
                for (int x = 0; x < mapSize; x += step) {
                    double top = at(map, mapSize, y, x) + at(map, mapSize, y, x + step)
                            + at(map, mapSize, y + half, x + half) + at(map, mapSize, y - half, x + half);
                    map[y * mapSize + x + half] = wibbled(top, wibble, rng);
                    double left = at(map, mapSize, y, x) + at(map, mapSize, y + step, x)
                            + at(map, mapSize, y + half, x + half) + at(map, mapSize, y + half, x - half);
                    map[(y + half) * mapSize + x] = wibbled(left, wibble, rng);
                }
            }
            wibble /= wibbleDecay;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (int i = 0; i < map.length; i++) {
            map[i] = max > min ? (map[i] - min) / (max - min) : 0.0;
        }
        return map;
    }

    private static double wibbled(double sumOfFour, double wibble, SplittableRandom rng) {
        return sumOfFour / 4 + wibble * rng.nextDouble(-wibble, wibble);
    }

    private static double at(double[] map, int n, int y, int x) {
        return map[Math.floorMod(y, n) * n + Math.floorMod(x, n)];
    }
}

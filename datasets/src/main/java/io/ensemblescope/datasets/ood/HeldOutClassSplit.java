package io.ensemblescope.datasets.ood;

import io.ensemblescope.datasets.ImageDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real-data OOD fallback: split a labeled dataset by class. The in-distribution part keeps the chosen classes,
 * relabeled 0..k−1 in the order given; the rest becomes an unlabeled OOD set. For CIFAR-10 the default keeps classes
 * 0–5 (airplane, automobile, bird, cat, deer, dog) and holds out 6–9 (frog, horse, ship, truck). Apply the same split
 * to the training and the test set, and train only on the in-distribution part.
 */
public final class HeldOutClassSplit {
    public static final int[] CIFAR10_DEFAULT_IN = {0, 1, 2, 3, 4, 5};

    private HeldOutClassSplit() {
    }

    /** The two halves: in-distribution (named {@code <name>-in<k>}) and OOD (named {@code <name>-out<m>}). */
    public record Split(ImageDataset inDistribution, ImageDataset outOfDistribution) {
    }

    public static Split cifar10Default(ImageDataset cifar10) {
        return split(cifar10, CIFAR10_DEFAULT_IN);
    }

    public static Split split(ImageDataset data, int[] inClasses) {
        int k = data.numClasses();
        int[] newLabel = new int[k];
        Arrays.fill(newLabel, -1);
        for (int j = 0; j < inClasses.length; j++) {
            int c = inClasses[j];
            if (c < 0 || c >= k) {
                throw new IllegalArgumentException("inClasses: class " + c + " outside 0.." + (k - 1));
            }
            if (newLabel[c] >= 0) {
                throw new IllegalArgumentException("inClasses: class " + c + " listed twice");
            }
            newLabel[c] = j;
        }
        if (inClasses.length == 0 || inClasses.length == k) {
            throw new IllegalArgumentException("inClasses: need between 1 and " + (k - 1) + " classes, got "
                    + inClasses.length);
        }
        if (!data.labeled()) {
            throw new IllegalArgumentException("dataset " + data.name() + ": a class split needs labels");
        }
        List<Integer> in = new ArrayList<>();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            (newLabel[data.label(i)] >= 0 ? in : out).add(i);
        }
        List<String> inNames = new ArrayList<>();
        for (int c : inClasses) {
            inNames.add(data.classNames().get(c));
        }
        ImageDataset inSet = gather(data, in, newLabel, data.name() + "-in" + inClasses.length, inNames);
        ImageDataset outSet = gather(data, out, newLabel, data.name() + "-out" + (k - inClasses.length), inNames)
                .unlabeled(data.name() + "-out" + (k - inClasses.length));
        return new Split(inSet, outSet);
    }

    private static ImageDataset gather(ImageDataset d, List<Integer> idx, int[] newLabel, String name,
                                       List<String> classNames) {
        int per = d.imageBytes();
        byte[] px = new byte[idx.size() * per];
        int[] labels = new int[idx.size()];
        for (int j = 0; j < idx.size(); j++) {
            int i = idx.get(j);
            System.arraycopy(d.pixels(), i * per, px, j * per, per);
            labels[j] = Math.max(newLabel[d.label(i)], 0);
        }
        return new ImageDataset(name, px, labels, d.channels(), d.height(), d.width(), classNames,
                d.normalization());
    }
}

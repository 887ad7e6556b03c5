package io.ensemblescope.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Entry point to the DJL PyTorch engine, always offline: the natives come from the Maven artifact. */
public final class Engines {
    public static final String OFFLINE_PROPERTY = "ai.djl.offline";

    private Engines() {}

    /**
     * Sets DJL offline before the engine first loads. Every main calls this; Surefire sets the property too, so tests
     * and programs never reach for a download.
     */
    public static void offline() {
        if (System.getProperty(OFFLINE_PROPERTY) == null) {
            System.setProperty(OFFLINE_PROPERTY, "true");
        }
    }

    /** The PyTorch engine, loaded offline. */
    public static Engine pytorch() {
        offline();
        return Engine.getEngine("PyTorch");
    }

    /**
     * Resolves a device flag: {@code auto} takes GPU 0 when the engine sees one, {@code cpu}, {@code gpu} (GPU 0) or
     * {@code gpu:N}.
     */
    public static Device device(String flag) {
        Engine engine = pytorch();
        String f = flag == null ? "auto" : flag.trim().toLowerCase(java.util.Locale.ROOT);
        if (f.equals("auto")) {
            return engine.getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (f.equals("cpu")) {
            return Device.cpu();
        }
        if (f.equals("gpu") || f.startsWith("gpu:")) {
            int index = f.equals("gpu") ? 0 : Integer.parseInt(f.substring(4));
            if (index < 0 || index >= engine.getGpuCount()) {
                throw new IllegalArgumentException(
                        "device " + flag + ": the engine sees " + engine.getGpuCount() + " GPU(s)");
            }
            return Device.gpu(index);
        }
        throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, got " + flag);
    }
}

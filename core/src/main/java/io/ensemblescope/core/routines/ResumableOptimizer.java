package io.ensemblescope.core.routines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An optimizer whose whole state — per parameter, the updates applied so far and the arrays it keeps (Adam's
 * moments, SGD's velocity) — is saved with every snapshot and restored on resume, so a resumed run takes exactly the
 * steps the unbroken run takes (DJL's own optimizers keep that state private). The state is keyed by the parameter's
 * path in the block, because DJL parameter ids are random per process.
 */
abstract class ResumableOptimizer extends Optimizer {
    private static final int FORMAT = 0x45534F31; // "ESO1"

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final int arraysPerSlot;

    ResumableOptimizer(OptimizerBuilder<?> builder, int arraysPerSlot) {
        super(builder);
        this.arraysPerSlot = arraysPerSlot;
    }

    /** One parameter's state: updates applied (1 during the first) and the optimizer's arrays. */
    static final class Slot {
        private int updates;
        private final NDArray[] arrays;

        Slot(int updates, NDArray[] arrays) {
            this.updates = updates;
            this.arrays = arrays;
        }

        int updates() {
            return updates;
        }

        NDArray array(int i) {
            return arrays[i];
        }
    }

    /** The parameter's slot for the update now being applied: zero state the first time; counts the update. */
    Slot beginUpdate(String parameterId, NDArray weight) {
        Slot slot = slots.computeIfAbsent(parameterId, id -> {
            NDArray[] arrays = new NDArray[arraysPerSlot];
            for (int i = 0; i < arrays.length; i++) {
                arrays[i] = weight.zerosLike();
            }
            return new Slot(0, arrays);
        });
        slot.updates++;
        return slot;
    }

    /** The state of every parameter of {@code block} updated so far, in the block's order. */
    byte[] save(Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeInt(arraysPerSlot);
            for (Pair<String, Parameter> p : block.getParameters()) {
                Slot slot = slots.get(p.getValue().getId());
                if (slot == null) {
                    continue;
                }
                out.writeBoolean(true);
                out.writeUTF(p.getKey());
                out.writeInt(slot.updates);
                for (NDArray a : slot.arrays) {
                    byte[] encoded = a.encode();
                    out.writeInt(encoded.length);
                    out.write(encoded);
                }
            }
            out.writeBoolean(false);
        }
        return bytes.toByteArray();
    }

    /** Replaces this optimizer's state with one {@link #save}d from a block of the same structure. */
    void restore(Block block, NDManager manager, byte[] state) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            if (in.readInt() != FORMAT || in.readInt() != arraysPerSlot) {
                throw new IOException("optimizer state was written by another optimizer or format");
            }
            slots.clear();
            while (in.readBoolean()) {
                String path = in.readUTF();
                Parameter parameter = block.getParameters().get(path);
                if (parameter == null) {
                    throw new IOException("optimizer state does not fit the network: no parameter " + path);
                }
                int updates = in.readInt();
                NDArray[] arrays = new NDArray[arraysPerSlot];
                for (int i = 0; i < arrays.length; i++) {
                    byte[] encoded = new byte[in.readInt()];
                    in.readFully(encoded);
                    arrays[i] = NDArray.decode(manager, encoded);
                }
                slots.put(parameter.getId(), new Slot(updates, arrays));
            }
        }
    }
}

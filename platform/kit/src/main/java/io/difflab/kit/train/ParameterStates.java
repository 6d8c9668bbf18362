package io.difflab.kit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import java.util.HashMap;
import java.util.Map;

/**
 * Saving and restoring arrays keyed by a block's parameter paths (stable across processes, unlike
 * DJL's per-instance parameter ids), restored in place so every holder of the array sees it.
 */
final class ParameterStates {

    private ParameterStates() {
    }

    /** Copies of {@code arrays}, each named {@code prefix + key}. */
    static NDList snapshot(PairList<String, NDArray> arrays, String prefix) {
        NDList out = new NDList(arrays.size());
        for (Pair<String, NDArray> e : arrays) {
            NDArray copy = e.getValue().duplicate();
            copy.setName(prefix + e.getKey());
            out.add(copy);
        }
        return out;
    }

    /** Overwrites each array in {@code arrays} with the saved one named {@code prefix + key}. */
    static void restore(PairList<String, NDArray> arrays, NDList saved, String prefix) {
        Map<String, NDArray> byName = byName(saved);
        for (Pair<String, NDArray> e : arrays) {
            NDArray s = byName.get(prefix + e.getKey());
            if (s == null) {
                throw new IllegalStateException("the checkpoint has no " + prefix + e.getKey()
                        + ": it was written by a different network configuration");
            }
            overwrite(e.getValue(), s);
        }
    }

    /** Replaces {@code target}'s values by {@code source}'s, keeping {@code target}'s identity and device. */
    static void overwrite(NDArray target, NDArray source) {
        if (!target.getShape().equals(source.getShape())) {
            throw new IllegalStateException("shape " + source.getShape() + " in the checkpoint, "
                    + target.getShape() + " in the network: a different network configuration");
        }
        boolean grad = target.hasGradient();
        // duplicate(): a copy that owns its memory. DJL's toType/toDevice with copy=true hand back
        // the same storage when type and device already match, and a decoded checkpoint array
        // borrows a Java buffer that the garbage collector frees once its manager is closed: the
        // restored weights then read freed memory (NaN samples from every resumed gd run)
        target.intern(source.toType(target.getDataType(), false).toDevice(target.getDevice(), false).duplicate());
        if (grad) {
            target.setRequiresGradient(true);
        }
    }

    /** The current arrays of the trainable parameters, keyed by path. */
    static PairList<String, NDArray> arraysOf(PairList<String, Parameter> parameters) {
        PairList<String, NDArray> out = new PairList<>();
        for (Pair<String, Parameter> p : parameters) {
            out.add(p.getKey(), p.getValue().getArray());
        }
        return out;
    }

    static Map<String, NDArray> byName(NDList list) {
        Map<String, NDArray> out = new HashMap<>();
        for (NDArray a : list) {
            out.put(a.getName(), a);
        }
        return out;
    }
}

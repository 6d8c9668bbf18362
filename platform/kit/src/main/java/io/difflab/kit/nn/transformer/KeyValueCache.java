package io.difflab.kit.nn.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The keys and values a causal {@link Transformer} has computed for the positions decoded so far,
 * one pair per layer, so that decoding position t attends to them instead of recomputing the
 * prefix: each step then costs one position's forward pass (the cache of GPT-style sampling).
 * Arrays (N, heads, T, head width) live in the cache's own manager until it is closed.
 */
public final class KeyValueCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;

    private KeyValueCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** An empty cache for a transformer of {@code layers} layers, under {@code parent}. */
    public static KeyValueCache empty(NDManager parent, int layers) {
        if (layers <= 0) {
            throw new IllegalArgumentException("a cache needs at least one layer, got " + layers);
        }
        return new KeyValueCache(parent, layers);
    }

    /** The number of layers. */
    public int layers() {
        return keys.length;
    }

    /** The positions cached so far (0 when empty); every layer holds the same number once a forward pass ends. */
    public long length() {
        return keys[keys.length - 1] == null ? 0 : keys[keys.length - 1].getShape().get(2);
    }

    /**
     * Appends the keys and values (N, heads, T, head width) of new positions to {@code layer}'s and
     * returns all of them so far, keys then values, which stay valid until the next append or close.
     */
    NDList append(int layer, NDArray newKeys, NDArray newValues) {
        NDArray k = keys[layer] == null ? newKeys.duplicate() : keys[layer].concat(newKeys, 2);
        NDArray v = values[layer] == null ? newValues.duplicate() : values[layer].concat(newValues, 2);
        k.attach(manager);
        v.attach(manager);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = k;
        values[layer] = v;
        return new NDList(k, v);
    }

    /**
     * Keeps only the rows {@code rows} (int64 indices into the batch) of every cached array, e.g. to
     * continue several samples from one shared prefix.
     */
    public void selectRows(NDArray rows) {
        for (int layer = 0; layer < keys.length; layer++) {
            if (keys[layer] == null) {
                continue;
            }
            NDArray k = keys[layer].get(rows);
            NDArray v = values[layer].get(rows);
            k.attach(manager);
            v.attach(manager);
            keys[layer].close();
            values[layer].close();
            keys[layer] = k;
            values[layer] = v;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}

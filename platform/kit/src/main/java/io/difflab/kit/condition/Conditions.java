package io.difflab.kit.condition;

import ai.djl.ndarray.NDManager;
import io.difflab.api.Condition;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ImageDataset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Encodes a batch's conditions: each encoder's field values, from a dataset or given, into one {@link Condition}. */
public final class Conditions {

    private Conditions() {
    }

    /** The conditions of dataset items {@code indices}, entry by encoder, in the encoders' order. */
    public static Condition of(List<ConditionEncoder> encoders, ImageDataset data, int[] indices, NDManager manager) {
        Map<String, Condition.Entry> entries = new LinkedHashMap<>();
        for (ConditionEncoder e : encoders) {
            entries.put(e.name(), e.entry(data.fieldValues(e.field(), indices), manager));
        }
        return Condition.of(entries);
    }

    /**
     * The conditions of given raw values: for each encoder, rows {@code from} (inclusive) to
     * {@code to} (exclusive) of its field's values in {@code values}.
     */
    public static Condition of(List<ConditionEncoder> encoders, Map<String, List<Object>> values, int from, int to,
                               NDManager manager) {
        Map<String, Condition.Entry> entries = new LinkedHashMap<>();
        for (ConditionEncoder e : encoders) {
            List<Object> field = values.get(e.field());
            if (field == null) {
                throw new IllegalArgumentException("no values for condition field '" + e.field() + "' (given: "
                        + values.keySet() + ")");
            }
            entries.put(e.name(), e.entry(field.subList(from, to), manager));
        }
        return Condition.of(entries);
    }
}

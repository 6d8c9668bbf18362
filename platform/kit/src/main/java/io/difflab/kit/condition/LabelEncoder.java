package io.difflab.kit.condition;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.Condition;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionFields;
import io.difflab.api.ConditionKind;

import java.util.List;

/**
 * Class labels from the dataset's {@code label} field (or {@code sample.labels}) as one (N) int32
 * array, ∅ as {@link Condition#NULL_LABEL}.
 */
public final class LabelEncoder implements ConditionEncoder {

    private final int classes;

    /** @param classes the class count: labels must lie in [0, classes) */
    public LabelEncoder(int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("class labels need at least one class, got " + classes);
        }
        this.classes = classes;
    }

    @Override
    public String name() {
        return Condition.LABEL;
    }

    @Override
    public String field() {
        return ConditionFields.LABEL;
    }

    @Override
    public ConditionKind kind() {
        return ConditionKind.LABEL;
    }

    @Override
    public NDList encode(List<?> values, NDManager manager) {
        int[] labels = new int[values.size()];
        for (int i = 0; i < labels.length; i++) {
            Object v = values.get(i);
            if (v == null) {
                labels[i] = Condition.NULL_LABEL;
                continue;
            }
            int label = ((Number) v).intValue();
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("class label " + label + " is outside [0, " + classes + ")");
            }
            labels[i] = label;
        }
        return new NDList(manager.create(labels).toType(DataType.INT32, false));
    }
}

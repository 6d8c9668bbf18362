package io.difflab.api;

import java.util.List;
import java.util.Map;

/**
 * What a dataset provides, known without loading its images: enough to validate a spec and
 * assemble a model before anything is created.
 *
 * @param shape      the images' shape
 * @param classNames class names, index = label; empty when unlabeled
 * @param fields     the condition fields every item carries, with their value types
 *                   ({@link ConditionFields}: {@code label}, {@code caption}, or the dataset's own)
 */
public record DatasetInfo(ImageShape shape, List<String> classNames, Map<String, Class<?>> fields) {

    public DatasetInfo {
        classNames = List.copyOf(classNames);
        fields = Map.copyOf(fields);
    }

    /** The facts of a loaded split. */
    public static DatasetInfo of(ImageDataset data) {
        return new DatasetInfo(data.shape(), data.classNames(), data.fields());
    }

    /** The number of classes; 0 when unlabeled. */
    public int numClasses() {
        return classNames.size();
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }
}

package io.difflab.host.run;

import io.difflab.api.ConditionFields;
import io.difflab.api.DatasetInfo;
import io.difflab.api.ImageDataset;
import io.difflab.api.UserError;
import io.difflab.host.spec.SampleSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What each sample is asked for: the raw values of the condition fields a model samples with, from
 * the spec's {@code sample} section (labels, prompts, reference images, cycled over the samples) or,
 * where it gives none, from the dataset (every class in turn; the test split's items in order).
 */
public final class SampleRequests {

    private SampleRequests() {
    }

    /** The fields the {@code sample} section gives values for. */
    public static Set<String> givenFields(SampleSettings sample) {
        Set<String> given = new LinkedHashSet<>();
        if (!sample.labels().isEmpty()) {
            given.add(ConditionFields.LABEL);
        }
        if (!sample.prompts().isEmpty()) {
            given.add(ConditionFields.CAPTION);
        }
        if (!sample.referenceImages().isEmpty()) {
            given.add(ConditionFields.REFERENCE_IMAGE);
        }
        return given;
    }

    /**
     * The problem with asking for {@code fields} under these settings and this dataset, or {@code null}:
     * a field neither the spec gives nor the dataset provides, or labels outside the dataset's classes.
     */
    public static String problem(Set<String> fields, SampleSettings sample, DatasetInfo dataset) {
        Set<String> given = givenFields(sample);
        for (String field : fields) {
            if (!given.contains(field) && !dataset.has(field)) {
                String key = ConditionFields.SAMPLE_KEYS.get(field);
                return (key == null ? "sample" : key) + ": the model samples with condition field '" + field
                        + "', which the dataset does not provide (it has " + dataset.fields().keySet() + ")"
                        + (key == null ? "" : ": give " + key);
            }
        }
        for (int label : sample.labels()) {
            if (dataset.numClasses() > 0 && label >= dataset.numClasses()) {
                return "sample.labels: " + label + " is not a class of the dataset (0.." + (dataset.numClasses() - 1)
                        + ")";
            }
        }
        return null;
    }

    /**
     * The raw values of {@code fields} for {@code count} samples.
     *
     * @param test the test split, loaded only when a field takes its values from it
     */
    public static Map<String, List<Object>> of(Set<String> fields, SampleSettings sample, DatasetInfo dataset,
                                               Supplier<ImageDataset> test, int count) {
        String problem = problem(fields, sample, dataset);
        if (problem != null) {
            throw new UserError(problem);
        }
        Map<String, List<Object>> out = new LinkedHashMap<>();
        for (String field : fields) {
            List<Object> values = new ArrayList<>(count);
            switch (field) {
                case ConditionFields.LABEL -> {
                    for (int i = 0; i < count; i++) {
                        values.add(sample.labels().isEmpty() ? i % dataset.numClasses()
                                : sample.labels().get(i % sample.labels().size()));
                    }
                }
                case ConditionFields.CAPTION -> {
                    if (sample.prompts().isEmpty()) {
                        values.addAll(fromTest(test.get(), field, count));
                    } else {
                        for (int i = 0; i < count; i++) {
                            values.add(sample.prompts().get(i % sample.prompts().size()));
                        }
                    }
                }
                case ConditionFields.REFERENCE_IMAGE -> values.addAll(referenceImages(sample.referenceImages(),
                        dataset, test, count));
                default -> values.addAll(fromTest(test.get(), field, count));
            }
            out.put(field, values);
        }
        return out;
    }

    /** The test split's values of {@code field} for items 0, 1, ... cycled. */
    private static List<Object> fromTest(ImageDataset test, String field, int count) {
        if (test.size() == 0) {
            throw new UserError("the test split " + test.id() + " is empty: give the sample values in the spec");
        }
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = i % test.size();
        }
        return test.fieldValues(field, indices);
    }

    private static List<Object> referenceImages(String spec, DatasetInfo dataset, Supplier<ImageDataset> test,
                                                int count) {
        List<float[]> images = spec.startsWith("test:") ? testImages(spec, test.get())
                : ReferenceImages.load(Path.of(spec), dataset.shape());
        List<Object> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(images.get(i % images.size()));
        }
        return out;
    }

    private static List<float[]> testImages(String spec, ImageDataset test) {
        List<float[]> out = new ArrayList<>();
        for (String part : spec.substring("test:".length()).split(",")) {
            int index;
            try {
                index = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw new UserError("sample.reference_images: '" + part.strip() + "' is not an index into the test split");
            }
            if (index < 0 || index >= test.size()) {
                throw new UserError("sample.reference_images: " + index + " is outside the test split (0.."
                        + (test.size() - 1) + ")");
            }
            float[] image = new float[test.shape().size()];
            test.copyImage(index, image, 0);
            out.add(image);
        }
        return out;
    }
}

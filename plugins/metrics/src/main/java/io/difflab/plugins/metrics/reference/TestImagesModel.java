package io.difflab.plugins.metrics.reference;

import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.ImageDataset;
import io.difflab.api.Model;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.UserError;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/** What {@link TestImagesFamily} assembles: no networks; "generating" picks test images. */
final class TestImagesModel implements Model {

    private final String field;
    private final Supplier<ImageDataset> test;

    /**
     * @param field the condition field samples are matched on ({@code caption} or {@code label}), or null
     * @param test  loads the test split
     */
    TestImagesModel(String field, Supplier<ImageDataset> test) {
        this.field = field;
        this.test = test;
    }

    @Override
    public List<TrainableNetwork> networks() {
        return List.of();
    }

    @Override
    public Set<String> sampleFields() {
        return field == null ? Set.of() : Set.of(field);
    }

    @Override
    public Generation generate(GenerationRequest request) {
        long start = System.nanoTime();
        ImageDataset data = test.get();
        int[] indices = field == null ? inOrder(request.count(), data.size())
                : matching(data, request.requested().get(field));
        var images = data.images(request.manager(), indices);
        double seconds = (System.nanoTime() - start) / 1e9 / request.count();
        return new Generation(images, Map.of("sample.nfe", 0.0, "sample.seconds", seconds));
    }

    /** Items 0, 1, ... cycled. */
    private static int[] inOrder(int count, int size) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = i % size;
        }
        return out;
    }

    /** For each requested value, the next test item with that value (cycling through them when asked again). */
    private int[] matching(ImageDataset data, List<Object> requested) {
        Map<Object, List<Integer>> byValue = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
            byValue.computeIfAbsent(data.field(field, i), k -> new ArrayList<>()).add(i);
        }
        Map<Object, Deque<Integer>> unused = new HashMap<>();
        int[] out = new int[requested.size()];
        for (int s = 0; s < out.length; s++) {
            Object value = requested.get(s);
            List<Integer> items = byValue.get(value);
            if (items == null) {
                throw new UserError("model test-images: no test image of " + data.id() + " has the " + field + " '"
                        + Objects.toString(value) + "' sample " + s + " asks for");
            }
            Deque<Integer> queue = unused.computeIfAbsent(value, k -> new ArrayDeque<>());
            if (queue.isEmpty()) {
                queue.addAll(items);
            }
            out[s] = queue.poll();
        }
        return out;
    }
}

package io.difflab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a batch is conditioned on: named, typed entries (a class label, a caption's tokens, a CLIP
 * embedding, a reference image, ...), each a {@link ConditionKind} and its batch-major arrays.
 * Trainers, samplers and guidance pass conditions through without knowing their kinds; a kind's
 * null value ∅ makes condition dropout and classifier-free guidance work over any of them.
 * Immutable; the arrays belong to whoever created them.
 */
public final class Condition {

    /**
     * The label that stands for ∅ (no class) at the denoiser, so one batch can mix conditional and
     * unconditional samples; estimators map it to their own null class.
     */
    public static final int NULL_LABEL = -1;

    /** The conventional name of the class-label entry (the dataset field {@code label}). */
    public static final String LABEL = "label";

    /** One named condition: its kind and its arrays, each with the batch as first dimension. */
    public record Entry(ConditionKind kind, NDList arrays) {

        public Entry {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(arrays, "arrays");
            if (arrays.isEmpty()) {
                throw new IllegalArgumentException("a condition of kind " + kind.name() + " needs an array");
            }
        }

        /** The first array (the only one for most kinds). */
        public NDArray array() {
            return arrays.get(0);
        }

        /** The batch size. */
        public long batchSize() {
            return arrays.get(0).getShape().get(0);
        }

        /** ∅ for every row. */
        public Entry nulled() {
            return new Entry(kind, kind.nullLike(arrays));
        }
    }

    private static final Condition NONE = new Condition(Map.of());

    private final Map<String, Entry> entries;

    private Condition(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        long n = -1;
        for (Map.Entry<String, Entry> e : this.entries.entrySet()) {
            long size = e.getValue().batchSize();
            if (n >= 0 && size != n) {
                throw new IllegalArgumentException("condition '" + e.getKey() + "' has " + size + " rows, the others "
                        + n);
            }
            n = size;
        }
    }

    /** Unconditional generation: no entries. */
    public static Condition none() {
        return NONE;
    }

    /** The entries in order. */
    public static Condition of(Map<String, Entry> entries) {
        return entries.isEmpty() ? NONE : new Condition(entries);
    }

    /** Conditioned on class labels (N) int32 alone, under {@value #LABEL}. */
    public static Condition labels(NDArray labels) {
        return of(Map.of(LABEL, new Entry(ConditionKind.LABEL, new NDList(labels))));
    }

    /** The entry names, in order. */
    public Set<String> names() {
        return entries.keySet();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** The entry {@code name}; an {@link IllegalArgumentException} naming what exists when absent. */
    public Entry get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no condition '" + name + "' in this batch (it has " + names() + ")");
        }
        return e;
    }

    /** Whether class labels are given under {@value #LABEL}. */
    public boolean hasLabels() {
        return has(LABEL);
    }

    /** The class labels (N), or {@code null} when none are given. */
    public NDArray labels() {
        Entry e = entries.get(LABEL);
        return e == null ? null : e.array();
    }

    /** The batch size, or 0 without entries. */
    public long batchSize() {
        return entries.isEmpty() ? 0 : entries.values().iterator().next().batchSize();
    }

    /** This condition with {@code entry} added or replaced under {@code name}. */
    public Condition with(String name, Entry entry) {
        Map<String, Entry> copy = new LinkedHashMap<>(entries);
        copy.put(name, entry);
        return of(copy);
    }

    /** Every entry set to ∅: the unconditional pass. */
    public Condition nulled() {
        return nulled(names());
    }

    /** The entries {@code names} set to ∅, the others as they are. */
    public Condition nulled(Collection<String> names) {
        Map<String, Entry> copy = new LinkedHashMap<>();
        entries.forEach((name, e) -> copy.put(name, names.contains(name) ? e.nulled() : e));
        return of(copy);
    }

    /**
     * Rows where {@code drop} (N, boolean) is true set to ∅ in entry {@code name}: condition
     * dropout (Ho &amp; Salimans 2021, Alg. 1, line 3).
     */
    public Condition dropRows(String name, NDArray drop) {
        Entry e = get(name);
        NDList nulls = e.kind().nullLike(e.arrays());
        NDList mixed = new NDList();
        for (int i = 0; i < e.arrays().size(); i++) {
            NDArray value = e.arrays().get(i);
            long[] shape = new long[value.getShape().dimension()];
            java.util.Arrays.fill(shape, 1);
            shape[0] = value.getShape().get(0);
            NDArray rowMask = drop.reshape(shape).broadcast(value.getShape());
            mixed.add(NDArrays.where(rowMask, nulls.get(i), value));
        }
        return with(name, new Entry(e.kind(), mixed));
    }

    /** The batches one after the other, entry by entry; every part must have the same names. */
    public static Condition concat(List<Condition> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        Condition first = parts.get(0);
        Map<String, Entry> out = new LinkedHashMap<>();
        for (String name : first.names()) {
            Entry e = first.get(name);
            NDList joined = new NDList();
            for (int i = 0; i < e.arrays().size(); i++) {
                NDList column = new NDList();
                for (Condition part : parts) {
                    if (!part.names().equals(first.names())) {
                        throw new IllegalArgumentException("cannot concatenate conditions " + first.names() + " and "
                                + part.names());
                    }
                    column.add(part.get(name).arrays().get(i));
                }
                joined.add(NDArrays.concat(column));
            }
            out.put(name, new Entry(e.kind(), joined));
        }
        return of(out);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) of every entry. */
    public Condition rows(long from, long to) {
        Map<String, Entry> out = new LinkedHashMap<>();
        entries.forEach((name, e) -> {
            NDList slice = new NDList();
            e.arrays().forEach(a -> slice.add(a.get("{}:{}", from, to)));
            out.put(name, new Entry(e.kind(), slice));
        });
        return of(out);
    }

    /** Every array of every entry, in order (to attach or move them together). */
    public NDList arrays() {
        NDList all = new NDList();
        entries.values().forEach(e -> all.addAll(e.arrays()));
        return all;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        entries.forEach((name, e) -> parts.add(name + ":" + e.kind().name() + e.array().getShape()));
        return "Condition" + parts;
    }
}

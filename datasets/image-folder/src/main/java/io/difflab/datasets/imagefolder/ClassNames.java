package io.difflab.datasets.imagefolder;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;

/**
 * Class ids for label names: the distinct names in sorted order, numerically when every name is an
 * integer (so labels 0..10 keep their values), by string otherwise.
 */
final class ClassNames {

    private ClassNames() {
    }

    /** The distinct labels in class-id order. */
    static List<String> of(List<String> labels) {
        boolean numeric = labels.stream().allMatch(l -> l.matches("[+-]?\\d+"));
        Comparator<String> order = numeric ? Comparator.comparing(BigInteger::new) : Comparator.naturalOrder();
        return labels.stream().distinct().sorted(order.thenComparing(Comparator.naturalOrder())).toList();
    }
}

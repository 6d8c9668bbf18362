package io.difflab.datasets.imagefolder;

import io.difflab.api.Split;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A deterministic train/test split: the files sorted by the SHA-256 of their relative name, the
 * first round(fraction·n) of that order are the test split. It depends on names only, never on
 * the order the file system lists them in, the machine or the seed.
 */
final class HashSplit {

    private HashSplit() {
    }

    /** The names of {@code split}, in sorted name order. */
    static List<String> select(List<String> names, double testFraction, Split split) {
        Map<String, String> hashes = names.stream().collect(Collectors.toMap(n -> n, HashSplit::nameHash));
        List<String> byHash = names.stream()
                .sorted(Comparator.comparing((String name) -> hashes.get(name)).thenComparing(Comparator.naturalOrder()))
                .toList();
        int testCount = testCount(names.size(), testFraction);
        List<String> chosen = split == Split.TEST ? byHash.subList(0, testCount) : byHash.subList(testCount, names.size());
        return chosen.stream().sorted().toList();
    }

    /** The number of test images {@link #select} gives for {@code n} names. */
    static int testCount(int n, double testFraction) {
        return (int) Math.round(testFraction * n);
    }

    static String nameHash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}

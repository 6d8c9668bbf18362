package io.difflab.datasets.fashionmnist;

import java.util.List;
import java.util.Locale;

/**
 * Captions for Fashion-MNIST from its class names through prompt templates (as CLIP's zero-shot
 * classifiers build them, Radford et al. 2021, sec. 3.1.4), so that text-conditioned models run
 * on real images: item i of class y reads template i mod 3 filled with y's name ("a photo of an
 * ankle boot", "a picture of a pair of trousers").
 */
final class FashionMnistCaptions {

    /** What each class is called in a caption, index = label. */
    static final List<String> NOUNS = List.of("t-shirt", "pair of trousers", "pullover", "dress", "coat", "sandal",
            "shirt", "sneaker", "bag", "ankle boot");

    static final List<String> TEMPLATES = List.of("a photo of %s", "a picture of %s", "an image of %s");

    private FashionMnistCaptions() {
    }

    /** The caption of item {@code index} with label {@code label}. */
    static String of(int index, int label) {
        return String.format(Locale.ROOT, TEMPLATES.get(Math.floorMod(index, TEMPLATES.size())),
                withArticle(NOUNS.get(label)));
    }

    /** "a" or "an" before a noun by its first letter. */
    static String withArticle(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }
}

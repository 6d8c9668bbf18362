package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.Vocabulary;
import io.difflab.kit.clip.ClipModel;
import io.difflab.kit.clip.TorchScriptClip;
import io.difflab.kit.text.ClipBpeVocabulary;

import java.nio.file.Path;
import java.util.List;

/**
 * The CLIP score of an image and its caption: the cosine similarity of CLIP's image and text
 * features (Radford et al. 2021), as DALL-E's reranking uses it (Ramesh et al. 2021, sec. 2.5).
 * Images in [−1, 1] are mapped to [0, 1], given three channels, resized bilinearly to CLIP's input
 * resolution and normalised with OpenAI's mean and standard deviation; captions are tokenized
 * with the CLIP's own vocabulary at its context length.
 */
final class ClipScorer implements CandidateScorer {

    /** OpenAI's CLIP preprocessing (clip/clip.py, _transform). */
    private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final ClipModel clip;
    private final Vocabulary vocabulary;
    private final String description;

    /**
     * A scorer with the TorchScript CLIP in {@code clipFile} and its tokenizer.json, both loaded on the
     * first images' device when first used.
     */
    static CandidateScorer loadedWhenUsed(Path clipFile, Path tokenizerFile) {
        return new CandidateScorer() {
            private TorchScriptClip clip;
            private ClipScorer loaded;

            @Override
            public synchronized NDArray score(NDArray images, List<String> captions) {
                if (loaded == null) {
                    clip = TorchScriptClip.load(clipFile, images.getDevice());
                    loaded = new ClipScorer(clip, ClipBpeVocabulary.load(tokenizerFile, clip.contextLength()),
                            describe());
                }
                return loaded.score(images, captions);
            }

            @Override
            public String describe() {
                return "CLIP " + clipFile.getFileName();
            }

            @Override
            public synchronized void close() {
                if (loaded != null) {
                    loaded.close();
                    clip.close();
                }
            }
        };
    }

    ClipScorer(ClipModel clip, Vocabulary vocabulary, String description) {
        if (vocabulary.contextLength() != clip.contextLength()) {
            throw new IllegalArgumentException("the CLIP reads " + clip.contextLength() + " tokens, the vocabulary "
                    + "encodes " + vocabulary.contextLength());
        }
        this.clip = clip;
        this.vocabulary = vocabulary;
        this.description = description;
    }

    @Override
    public NDArray score(NDArray images, List<String> captions) {
        NDManager m = images.getManager();
        NDArray imageFeatures = clip.encodeImage(preprocess(images, clip.inputResolution()));
        NDArray textFeatures = clip.encodeText(vocabulary.encode(m, captions).get(0));
        NDArray x = imageFeatures.div(imageFeatures.norm(new int[] {1}, true));
        NDArray y = textFeatures.div(textFeatures.norm(new int[] {1}, true));
        return x.mul(y).sum(new int[] {1});
    }

    /** Images (n, C, H, W) in [−1, 1] as CLIP's input (n, 3, R, R). */
    static NDArray preprocess(NDArray images, int resolution) {
        NDManager m = images.getManager();
        NDArray x = images.add(1f).div(2f).clip(0f, 1f);
        if (x.getShape().get(1) == 1) {
            x = x.repeat(1, 3);
        }
        if (x.getShape().get(2) != resolution || x.getShape().get(3) != resolution) {
            x = x.getNDArrayInternal().interpolation(new long[] {resolution, resolution}, 1, false);
        }
        NDArray mean = m.create(MEAN).reshape(1, 3, 1, 1);
        NDArray std = m.create(STD).reshape(1, 3, 1, 1);
        return x.sub(mean).div(std);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        vocabulary.close();
    }
}

package io.difflab.kit.clip;

import io.difflab.kit.nn.TextTransformer;

/**
 * The sizes of a {@link ClipNetwork}: what rebuilds one from its checkpoints (written beside them as
 * {@code clip.json}).
 *
 * @param imageChannels   channels of the dataset's images (1 is read as grey RGB)
 * @param imageResolution R, the side of the square images
 * @param patchSize       the vision transformer's patch side
 * @param imageWidth      the vision transformer's width
 * @param imageLayers     its layers
 * @param imageHeads      its attention heads
 * @param timesteps       T of the diffusion a noise-aware image encoder reads x_t of; 0 when not noise-aware
 * @param schedule        the name of that diffusion's noise schedule, empty when not noise-aware
 * @param vocabularySize  the text transformer's token ids
 * @param contextLength   L, the length of its id rows
 * @param textWidth       its width
 * @param textLayers      its layers
 * @param textHeads       its attention heads
 * @param causal          whether its attention is causal
 * @param pooling         where its pooled vector is read
 * @param embeddingSize   E, the size of the shared embedding
 * @param tokenizer       the name of the tokenizer whose vocabulary the text encoder reads
 * @param vocabularyFile  the name of the file beside the checkpoints holding that vocabulary, as the
 *                        tokenizer's vocabulary saves it ({@code vocabulary.txt} for {@code word})
 */
public record ClipArchitecture(int imageChannels, int imageResolution, int patchSize, int imageWidth, int imageLayers,
                               int imageHeads, int timesteps, String schedule, int vocabularySize, int contextLength,
                               int textWidth, int textLayers, int textHeads, boolean causal,
                               TextTransformer.Pooling pooling, int embeddingSize, String tokenizer,
                               String vocabularyFile) {

    /** The file name of the architecture beside a CLIP's checkpoints. */
    public static final String FILE = "clip.json";

    public ClipArchitecture {
        schedule = schedule == null ? "" : schedule;
        if (imageChannels != 1 && imageChannels != 3) {
            throw new IllegalArgumentException("CLIP reads RGB or grey images, not " + imageChannels + " channels");
        }
        if (embeddingSize < 1) {
            throw new IllegalArgumentException("the embedding size must be positive, got " + embeddingSize);
        }
        if (timesteps > 0 && schedule.isBlank()) {
            throw new IllegalArgumentException("a noise-aware CLIP must name its noise schedule");
        }
    }

    /** Whether the image encoder reads noised images x_t with their timestep (GLIDE's noised CLIP). */
    public boolean noiseAware() {
        return timesteps > 0;
    }
}

package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A text encoder a conditioned network trains with itself (GLIDE trains its transformer jointly
 * with the U-Net, Nichol et al. 2021, sec. 3.1): a block from token ids and their mask to one state
 * per token and a pooled vector for the whole caption. {@link TextUNet} feeds the states to every
 * attention layer as context and projects the pooled vector into the timestep embedding.
 *
 * <p>As a DJL block: inputs ids (N, L) int32 and mask (N, L) int32 (1 on tokens, 0 on padding, as
 * {@code io.difflab.api.Vocabulary} encodes them); outputs states (N, L, D) float32 and pooled
 * (N, D) float32, in the manager of the ids. What it must do:
 * <ul>
 * <li>a row whose mask is all 0 (∅, the empty caption) gives finite states and a finite pooled
 * vector;</li>
 * <li>states at masked positions may hold anything finite: readers mask them out;</li>
 * <li>whatever it pools (GLIDE: the state at the last position; CLIP: at the end token), it is
 * {@link #width()} wide, unprojected: the reader projects it.</li>
 * </ul>
 * {@link EmbeddingBagEncoder} is the minimal one; a transformer (pre-LayerNorm, as in CLIP and
 * GLIDE) implements this interface to take its place, and {@link TextEncoders} names it for specs.
 */
public interface TextEncoder extends Block {

    /** What the encoder gives for a batch of captions. */
    record Encoding(NDArray states, NDArray pooled) { }

    /** D: the width of every state and of the pooled vector. */
    int width();

    /** L: the number of token ids per caption it was built for. */
    int contextLength();

    /** The ids it takes: every id is in [0, vocabularySize). */
    int vocabularySize();

    /**
     * Encodes captions.
     *
     * @param ids  (N, L) int32
     * @param mask (N, L) int32, 1 on tokens and 0 on padding
     * @return states (N, L, D) and pooled (N, D), in the manager of {@code ids}
     */
    default Encoding encode(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        NDList out = forward(ps, new NDList(ids, mask), training);
        return new Encoding(out.get(0), out.get(1));
    }
}

package io.difflab.kit.engine;

/**
 * A network whose output row i depends only on row i of each input, in training and in inference:
 * no batch statistics, no terms across samples (a contrastive CLIP's logits are the counter-example).
 * Only such a network's passes may be cut into shards of the batch ({@link BatchShards},
 * {@link ShardedStep}); every other network runs whole.
 */
public interface RowIndependent {
}

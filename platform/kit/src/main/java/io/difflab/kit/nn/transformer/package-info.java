/**
 * The platform's transformer: pre-LayerNorm blocks (GPT-2, CLIP's text encoder), causal or
 * bidirectional self-attention with a padding mask, and a key/value cache for step-by-step
 * decoding. Models add their own embeddings and heads (DALL-E's decoder over caption and image
 * tokens; text encoders for CLIP and GLIDE).
 */
package io.difflab.kit.nn.transformer;

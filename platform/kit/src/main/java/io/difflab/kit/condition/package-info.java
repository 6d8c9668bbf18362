/**
 * Encoders from raw condition values (class labels, captions, reference images) to the arrays of a
 * {@link io.difflab.api.ConditionKind}, shared by every model family that consumes them.
 */
package io.difflab.kit.condition;

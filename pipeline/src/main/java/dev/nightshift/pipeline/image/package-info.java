/**
 * Pictures as documents: {@link dev.nightshift.pipeline.image.ImageDescriber} (the {@code image} task: a vision
 * model's description and an {@link dev.nightshift.pipeline.image.ImageLabel}), with the rules for tiny pictures and
 * exact duplicates.
 */
package dev.nightshift.pipeline.image;

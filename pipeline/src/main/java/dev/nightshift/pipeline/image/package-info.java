/**
 * Pictures as documents: {@link dev.nightshift.pipeline.image.ImageDescriber} (the {@code image} task: a vision
 * model's description and an {@link dev.nightshift.pipeline.image.ImageLabel}), with the rules for tiny pictures and
 * exact duplicates, and {@link dev.nightshift.pipeline.image.PictureProcessor}, which wraps the text processor of a
 * run so that a source's pictures are described first and a summary sees them. The scheduler in {@code run} knows
 * nothing of pictures.
 */
package dev.nightshift.pipeline.image;

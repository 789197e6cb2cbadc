/**
 * Pictures as Gemma 4's vision encoder takes them, reproducing transformers' image processor: decoding to 8-bit RGB
 * ({@link dev.nightshift.pipeline.llm.vision.RgbImage}, alpha dropped and grey repeated as PIL does), Pillow's
 * bicubic resize byte for byte ({@link dev.nightshift.pipeline.llm.vision.BicubicResize}), patches and positions at
 * the image's own aspect ratio ({@link dev.nightshift.pipeline.llm.vision.PatchedImage}), the folder's settings and
 * multimodal token ids ({@link dev.nightshift.pipeline.llm.vision.ImageProcessorConfig},
 * {@link dev.nightshift.pipeline.llm.vision.VisionConfig}). The engine runs the encoder and puts its features over
 * the image tokens' embeddings ({@code GemmaEngine.imageRequest}).
 */
package dev.nightshift.pipeline.llm.vision;

package dev.nightshift.pipeline.llm.vision;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * An 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B: what PIL's {@code convert("RGB")}
 * gives. Alpha is dropped without blending (as PIL does), grey is repeated in the three channels, and
 * sample values are taken as stored (no colour management), so the bytes match PIL's for PNGs.
 */
public record RgbImage(int width, int height, byte[] rgb) {
    /** Images over this many pixels are refused before decoding: a hostile header can claim gigapixels. */
    public static final long MAX_PIXELS = 50_000_000L;

    public RgbImage {
        if (width < 1 || height < 1) throw new IllegalArgumentException("empty image " + width + "x" + height);
        if (rgb.length != width * height * 3) throw new IllegalArgumentException("expected " + width * height * 3 + " bytes");
    }

    public int at(int x, int y, int channel) {
        return rgb[(y * width + x) * 3 + channel] & 0xFF;
    }

    /** Decodes an image file (PNG, JPEG, GIF, BMP, TIFF: what Java's ImageIO reads). */
    public static RgbImage read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString());
        }
    }

    /**
     * Decodes image bytes; {@code name} is only for messages.
     *
     * @throws IOException with a reason a person can act on: not an image, a format without a decoder, too
     *                     large, or damaged
     */
    public static RgbImage read(InputStream bytes, String name) throws IOException {
        try (ImageInputStream stream = ImageIO.createImageInputStream(bytes)) {
            if (stream == null) throw new IOException(name + ": cannot open as an image");
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) throw new IOException(name + ": not an image format Java can decode (PNG, JPEG, GIF, BMP, TIFF)");
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new IOException(name + ": " + reader.getWidth(0) + "x" + reader.getHeight(0) + " pixels is over the limit of "
                            + MAX_PIXELS);
                }
                return of(reader.read(0));
            } catch (javax.imageio.IIOException | RuntimeException e) {
                // Decoders report damaged data as IIOException or as unchecked exceptions (IndexOutOfBounds, ...).
                throw new IOException(name + ": damaged image: " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The RGB bytes of a decoded image; see the class comment for how alpha, grey and palettes are treated. */
    public static RgbImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        boolean plain8Bit = image.getColorModel().getComponentSize(0) == 8 && image.getType() != BufferedImage.TYPE_BYTE_INDEXED
                && image.getType() != BufferedImage.TYPE_BYTE_BINARY;
        if (plain8Bit && (bands == 1 || bands == 2)) {
            // Grey (with or without alpha): the stored value in each channel. getRGB would convert it from
            // Java's linear grey space to sRGB and change every value.
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    byte v = (byte) row[x];
                    int o = (y * w + x) * 3;
                    out[o] = v;
                    out[o + 1] = v;
                    out[o + 2] = v;
                }
            }
        } else if (plain8Bit && (bands == 3 || bands == 4) && image.getColorModel().getColorSpace().isCS_sRGB()) {
            int[] r = new int[w];
            int[] g = new int[w];
            int[] b = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, r);
                raster.getSamples(0, y, w, 1, 1, g);
                raster.getSamples(0, y, w, 1, 2, b);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    out[o] = (byte) r[x];
                    out[o + 1] = (byte) g[x];
                    out[o + 2] = (byte) b[x];
                }
            }
        } else {
            // Palettes, 16-bit and other colour spaces: Java's conversion to 8-bit sRGB.
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    out[o] = (byte) (row[x] >> 16);
                    out[o + 1] = (byte) (row[x] >> 8);
                    out[o + 2] = (byte) row[x];
                }
            }
        }
        return new RgbImage(w, h, out);
    }
}

package dev.nightshift.connectors.extract;

import org.apache.tika.metadata.Metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Tika's image parsers tell of a picture, as one line stored with it: format, size in pixels, when
 * it was taken and with what camera (EXIF), where present. e.g. {@code JPEG image, 4032x3024 pixels,
 * taken 2019-05-01T10:00:00, camera Apple iPhone 8}.
 */
final class ImageFacts {
    private static final Pattern LEADING_INT = Pattern.compile("^\\s*(\\d{1,9})");
    private static final String[] WIDTH = {"tiff:ImageWidth", "Image Width", "width", "exif:PixelXDimension"};
    private static final String[] HEIGHT = {"tiff:ImageLength", "Image Height", "height", "exif:PixelYDimension"};
    private static final String[] TAKEN = {"exif:DateTimeOriginal", "dcterms:created", "Date/Time Original"};

    private ImageFacts() {
    }

    /** True for a media type nightshift treats as a picture. */
    static boolean isImage(String mediaType) {
        return mediaType != null && mediaType.startsWith("image/") && !mediaType.startsWith("image/svg");
    }

    static String describe(String mediaType, Metadata m) {
        List<String> parts = new ArrayList<>();
        parts.add(format(mediaType) + " image");
        int width = dimension(m, WIDTH);
        int height = dimension(m, HEIGHT);
        if (width > 0 && height > 0) parts.add(width + "x" + height + " pixels");
        String taken = first(m, TAKEN);
        if (taken != null) parts.add("taken " + taken);
        String make = first(m, new String[] {"tiff:Make", "Make"});
        String model = first(m, new String[] {"tiff:Model", "Model"});
        if (model != null) parts.add("camera " + (make != null && !model.toLowerCase(Locale.ROOT).startsWith(make.toLowerCase(Locale.ROOT))
                ? make + " " + model : model));
        else if (make != null) parts.add("camera " + make);
        return String.join(", ", parts);
    }

    /** PNG, JPEG, TIFF, EMF, ... from the media type's subtype. */
    static String format(String mediaType) {
        String sub = mediaType == null ? "" : mediaType.substring(mediaType.indexOf('/') + 1);
        sub = sub.replaceFirst("^(x-|vnd\\.)", "").replaceFirst("\\+.*$", "");
        return switch (sub) {
            case "jpeg", "pjpeg" -> "JPEG";
            case "ms-bmp", "bmp" -> "BMP";
            case "wmf", "emf", "png", "gif", "tiff", "webp", "icon" -> sub.toUpperCase(Locale.ROOT);
            case "microsoft.icon" -> "ICO";
            default -> sub.isEmpty() ? "unknown" : sub.toUpperCase(Locale.ROOT);
        };
    }

    /** Pixels along one side, or 0 when no key holds a number. */
    static int dimension(Metadata m, String[] keys) {
        for (String key : keys) {
            String v = m.get(key);
            if (v == null) continue;
            Matcher matcher = LEADING_INT.matcher(v);
            if (matcher.find()) return Integer.parseInt(matcher.group(1));
        }
        return 0;
    }

    private static String first(Metadata m, String[] keys) {
        for (String key : keys) {
            String v = m.get(key);
            if (v != null && !v.isBlank()) return v.strip().replaceAll("\\p{Cntrl}", " ");
        }
        return null;
    }
}

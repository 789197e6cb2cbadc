package dev.nightshift.pipeline.image;

import java.util.Locale;

/**
 * What kind of picture it is: the fixed set a vision model chooses from (its prompt lists them), so
 * that pictures can be counted and filtered by kind.
 */
enum ImageLabel {
    PHOTO("photo"),
    CHART("chart"),
    DIAGRAM("diagram"),
    MAP("map"),
    SCANNED_TEXT_PAGE("scanned text page"),
    SCREENSHOT("screenshot"),
    DRAWING("drawing"),
    LOGO_OR_ICON("logo or icon"),
    /** Anything else, and what the model said when it named none of the others. */
    OTHER("other");

    private final String text;

    ImageLabel(String text) {
        this.text = text;
    }

    /** The words of the set, as the prompt and the stored outputs spell them. */
    public String text() {
        return text;
    }

    /**
     * The label on the model's last "Label:" line, or the first label named anywhere after "Label",
     * else {@link #OTHER}. Longer names are tried first ("scanned text page" before "page").
     */
    public static ImageLabel parse(String modelText) {
        String lower = modelText.toLowerCase(Locale.ROOT);
        int at = lower.lastIndexOf("label");
        String tail = at >= 0 ? lower.substring(at) : "";
        ImageLabel best = OTHER;
        int bestAt = Integer.MAX_VALUE;
        for (ImageLabel l : values()) {
            if (l == OTHER) continue;
            int i = tail.indexOf(l.text);
            if (i < 0 && l == LOGO_OR_ICON) i = Math.max(tail.indexOf("logo"), tail.indexOf("icon"));
            if (i >= 0 && i < bestAt) {
                best = l;
                bestAt = i;
            }
        }
        return best;
    }

    /** The description without its "Label:" line. */
    public static String description(String modelText) {
        String[] lines = modelText.strip().split("\n");
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (line.strip().toLowerCase(Locale.ROOT).startsWith("label")) continue;
            if (!out.isEmpty()) out.append('\n');
            out.append(line.strip());
        }
        return out.toString().strip();
    }
}

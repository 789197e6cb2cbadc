package dev.nightshift.connectors.formats;

/** What the check of one translated segment can find wrong; each is counted and listed, none stops the file. */
public enum SegmentIssue {
    /** The inline codes did not come back exactly once, even when asked again: they now sit at the segment's end. */
    TAGS_MOVED("codes moved to the segment's end"),
    /** A number of the source (digits, whatever their separators) is not in the translation. */
    NUMBER_LOST("a number is missing"),
    /** A URL or e-mail address of the source is not in the translation, character for character. */
    LINK_LOST("a link or address is missing"),
    /** A glossary term the segment holds is not in its translation as the glossary says (or, kept, as written). */
    TERM_MISSED("a glossary term not used"),
    /** The translation is the source again, across two languages. */
    UNTRANSLATED("not translated"),
    /** The translation is far shorter or longer than its source. */
    LENGTH("length out of proportion");

    private final String words;

    SegmentIssue(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }
}

package dev.nightshift.connectors.extract;

import org.apache.tika.Tika;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashSet;

/**
 * What {@link TikaExtractor} reads from Tika's metadata besides the text: a mail's header lines, the media type,
 * the parsers that ran, sizes, and whether a "text" is only the document's own name.
 */
final class TikaMetadata {
    private TikaMetadata() {
    }

    /**
     * An e-mail's sender, recipients, date and subject, as lines above its body: Tika gives an RFC 822
     * message's body only (an Outlook message's text has them already), yet who wrote to whom and when is
     * what a reader of a mail archive asks first, and what a summary or an answer must be checked against.
     * Empty for anything else.
     */
    static String mailHeader(Metadata m) {
        if (!"message/rfc822".equals(mediaType(m))) return "";
        // The day it was sent, in UTC (Tika gives the instant, not the sender's offset: a mail sent on a
        // Sunday evening in California is dated Monday). No clock: its numbers would read as counts to whatever
        // checks a summary against the text ("twelve members" found in "08:12").
        String date = m.get(TikaCoreProperties.CREATED);
        if (date != null && date.length() >= 10 && date.charAt(4) == '-') date = date.substring(0, 10) + " (UTC)";
        return dev.nightshift.pipeline.core.MailHeader.of(m.get("Message-From"), distinct(m.getValues("Message-To")),
                distinct(m.getValues("Message-Cc")), date, m.get(TikaCoreProperties.SUBJECT));
    }

    /** Addresses once each, in order: Tika lists an address once per header that names it ("<a@b>" and "a@b" are one). */
    static String distinct(String[] values) {
        java.util.Map<String, String> seen = new java.util.LinkedHashMap<>();
        for (String v : values) {
            if (v == null || v.isBlank()) continue;
            seen.putIfAbsent(v.strip().replaceAll("^<(.*)>$", "$1").toLowerCase(Locale.ROOT), v.strip());
        }
        return String.join(", ", seen.values());
    }

    /** True when every line of the text is the document's own name or path (what Tika says of a bare image). */
    static boolean onlyItsOwnName(String text, Metadata m) {
        Set<String> names = new HashSet<>();
        for (String key : List.of(TikaCoreProperties.RESOURCE_NAME_KEY, TikaCoreProperties.INTERNAL_PATH.getName(),
                TikaCoreProperties.EMBEDDED_RESOURCE_PATH.getName())) {
            String name = m.get(key);
            if (name == null || name.isBlank()) continue;
            String bare = name.strip().replaceFirst("^/+", "");
            names.add(bare);
            names.add("/" + bare);
            names.add(bare.substring(bare.lastIndexOf('/') + 1));
        }
        if (names.isEmpty()) return false;
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).allMatch(names::contains);
    }

    /** A size or id from metadata; missing, malformed or negative (some parsers say -1) is 0, "unknown". */
    static long parseLong(String s) {
        try {
            return s == null ? 0 : Math.max(0, Long.parseLong(s.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String mediaType(Metadata metadata) {
        String type = metadata.get(Metadata.CONTENT_TYPE);
        return type == null ? null : type.split(";")[0].strip();
    }

    /** The parsers that ran, outermost first, without repeats: the AutoDetect/Composite wrappers are left out. */
    static String parsers(Metadata metadata) {
        String[] all = metadata.getValues(TikaCoreProperties.TIKA_PARSED_BY);
        Set<String> names = new LinkedHashSet<>(Arrays.asList(all));
        names.remove("org.apache.tika.parser.DefaultParser");
        names.remove("org.apache.tika.parser.CompositeParser");
        names.remove("org.apache.tika.parser.AutoDetectParser");
        return String.join(", ", names);
    }
}

package dev.nightshift.connectors.formats;

import net.sf.okapi.common.filters.IFilter;
import net.sf.okapi.filters.html.HtmlFilter;
import net.sf.okapi.filters.markdown.MarkdownFilter;
import net.sf.okapi.filters.openoffice.OpenOfficeFilter;
import net.sf.okapi.filters.openxml.ConditionalParameters;
import net.sf.okapi.filters.openxml.OpenXMLFilter;
import net.sf.okapi.filters.plaintext.paragraphs.ParaPlainTextFilter;
import net.sf.okapi.filters.regex.RegexFilter;
import net.sf.okapi.filters.vtt.VTTFilter;
import net.sf.okapi.filters.json.JSONFilter;
import net.sf.okapi.filters.po.POFilter;
import net.sf.okapi.filters.properties.PropertiesFilter;
import net.sf.okapi.filters.yaml.YamlFilter;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The formats a translation is written back in, as they came: each with the file name endings it is known by and the
 * Okapi filter that reads its text units and writes them back. Everything else (PDF, mail, RTF, archives' entries)
 * keeps the Markdown output.
 */
public enum SameFormat {
    DOCX("Word", "docx", "docm", "dotx"),
    PPTX("PowerPoint", "pptx", "pptm", "potx"),
    XLSX("Excel", "xlsx", "xlsm"),
    ODT("OpenDocument text", "odt"),
    ODS("OpenDocument spreadsheet", "ods"),
    ODP("OpenDocument presentation", "odp"),
    HTML("HTML", "html", "htm", "xhtml"),
    MARKDOWN("Markdown", "md", "markdown"),
    TEXT("plain text", "txt"),
    SRT("SubRip subtitles", "srt"),
    VTT("WebVTT subtitles", "vtt"),
    JSON("JSON strings", "json"),
    YAML("YAML strings", "yaml", "yml"),
    PROPERTIES("Java properties", "properties"),
    PO("gettext PO", "po", "pot");

    private final String label;
    private final List<String> endings;

    SameFormat(String label, String... endings) {
        this.label = label;
        this.endings = List.of(endings);
    }

    /** What people call the format, for the summary and the README's table. */
    public String label() {
        return label;
    }

    /** The file name endings, without the dot. */
    public List<String> endings() {
        return endings;
    }

    /** The format a file name's ending says, if nightshift can write it back. */
    public static Optional<SameFormat> of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) return Optional.empty();
        String ending = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        for (SameFormat f : values()) if (f.endings.contains(ending)) return Optional.of(f);
        return Optional.empty();
    }

    /** Formats read as lines of text, whose writers may drop the file's last line break (restored, see FileTranslator). */
    boolean isText() {
        return this != DOCX && this != PPTX && this != XLSX && this != ODT && this != ODS && this != ODP && this != HTML;
    }

    /** A new filter for one file (filters keep state: one per file). */
    IFilter newFilter() {
        return switch (this) {
            case DOCX, PPTX, XLSX -> {
                OpenXMLFilter f = new OpenXMLFilter();
                ConditionalParameters p = f.getParameters();
                // The "Application" and "Company" properties are not the document's text; titles are not worth a
                // wrong guess either: the document properties stay as they are.
                p.setTranslateDocProperties(false);
                p.setTranslatePowerpointDocProperties(false);
                p.setTranslatePowerpointNotes(true);
                p.setTranslateWordHeadersFooters(true);
                p.setTranslateComments(true);
                yield f;
            }
            case ODT, ODS, ODP -> new OpenOfficeFilter();
            case HTML -> new HtmlFilter();
            case MARKDOWN -> {
                MarkdownFilter f = new MarkdownFilter();
                // Code is not prose: fenced, indented and inline code stay as written.
                f.getParameters().setTranslateFencedCodeBlocks(false);
                f.getParameters().setTranslateIndentedCodeBlocks(false);
                f.getParameters().setTranslateInlineCodeBlocks(false);
                yield f;
            }
            case TEXT -> new ParaPlainTextFilter();
            case SRT -> {
                RegexFilter f = new RegexFilter();
                // Okapi's own SubRip rules (timings and numbers are skeleton, the cue text a text unit).
                f.getParameters().load(RegexFilter.class.getResource("srt.fprm"), false);
                yield f;
            }
            case VTT -> new VTTFilter();
            // Software strings: values are translated, keys, numbers and comments stay; a PO file's translations go into msgstr.
            case JSON -> {
                JSONFilter f = new JSONFilter();
                f.getParameters().setEscapeForwardSlashes(false); // a URL stays as written, not https:\/\/...
                yield f;
            }
            case YAML -> new YamlFilter();
            case PROPERTIES -> new PropertiesFilter();
            case PO -> new POFilter();
        };
    }
}

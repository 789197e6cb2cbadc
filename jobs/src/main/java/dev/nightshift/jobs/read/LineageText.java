package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.Terminal;

import dev.nightshift.pipeline.core.Evidence;
import dev.nightshift.pipeline.core.Grounding;
import dev.nightshift.pipeline.core.SentenceCheck;
import dev.nightshift.pipeline.store.ChunkSpan;
import dev.nightshift.pipeline.store.Lineage;
import dev.nightshift.pipeline.store.Provenance;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a {@link Lineage} tree for the terminal: one node a line with its details under it, drawn
 * with box characters. Every stored string goes through {@link Terminal#safe}: file names and texts
 * come from the documents and may hold control sequences.
 */
final class LineageText {
    /** A printed node: a label, details (lines), and what it came from. */
    record Node(String label, String detail, List<Node> children) {
    }

    private LineageText() {
    }

    static void print(PrintWriter out, Lineage.Document tree, boolean full) {
        print(out, node(tree, full), "", "");
    }

    static Node node(Lineage.Document d, boolean full) {
        List<Node> children = new ArrayList<>();
        for (Lineage.Extraction e : d.extractions()) children.add(node(e, full));
        for (Lineage.Document entry : d.entries()) children.add(node(entry, full));
        var info = d.info();
        String language = info.language() != null && !info.language().isBlank() ? info.language()
                : d.languageNote() == null ? "-" : "unknown (" + d.languageNote() + ")";
        return new Node("document " + info.id() + "  " + Terminal.line(info.locator()),
                "sha256 " + info.sha256() + ", " + info.sizeBytes() + " bytes, " + orDash(info.mediaType()) + ", language " + language
                        + ", modified " + info.modifiedAt(), children);
    }

    private static Node node(Lineage.Extraction e, boolean full) {
        List<Node> children = new ArrayList<>();
        for (Lineage.Output o : e.outputs()) children.add(node(o, full));
        String detail = e.status() + ", " + e.chars() + " chars, " + e.durationMs() + " ms, parser " + orDash(e.parser())
                + ", Tika " + orDash(e.tikaVersion()) + ", run " + e.runId()
                + (e.error() == null ? "" : "IMAGE".equals(e.status()) ? "\n" + e.error() : ", reason: " + e.error())
                + (e.kept() == null || e.kept().isBlank() ? "" : "\ntext as extracted" + (full ? ":\n" + e.kept().strip()
                        : " (--full shows all " + e.kept().length() + " characters): " + preview(e.kept())));
        return new Node("extraction " + e.id(), detail, children);
    }

    private static Node node(Lineage.Output o, boolean full) {
        List<Node> children = new ArrayList<>();
        for (Lineage in : o.inputs()) {
            if (in instanceof Lineage.Output inner) children.add(node(inner, full));
            else if (in instanceof Lineage.Chunk chunk) children.add(node(chunk.span()));
        }
        Provenance p = o.provenance();
        String who = p.byModel() ? "model " + p.model() + ", prompt " + p.promptName() + " v" + p.promptVersion() : p.method();
        String label = (p.isFinal() ? "output " : "partial output ") + p.outputId() + "  " + p.task() + " (level " + p.level() + ")";
        String detail = who + ", " + p.parameters() + ", finish " + p.finishReason()
                + (p.byModel() ? ", " + p.promptTokens() + " prompt + " + p.generatedTokens() + " generated tokens" : "")
                + ", " + p.durationMs() + " ms, run " + p.runId() + "\n" + (full ? o.text().strip() : preview(o.text()))
                + grounding(o.grounding(), full);
        return new Node(label, detail, children);
    }

    /**
     * How well the source supports the output: a count, then each unsupported sentence marked with what
     * was not found and, with --full, every sentence with its score and evidence spans.
     */
    static String grounding(Grounding g, boolean full) {
        if (g == null) return "";
        StringBuilder out = new StringBuilder("\ngrounding (" + g.checker() + "): " + (g.sentences().size() - g.unsupported()) + " of "
                + g.sentences().size() + " sentences supported by the source");
        for (SentenceCheck s : g.sentences()) {
            if (s.supported() && !full) continue;
            out.append("\n  ").append(s.supported() ? "  ok " : "  ✗  ").append(String.format(java.util.Locale.ROOT, "%.2f ", s.score()))
                    .append(preview(s.sentence()));
            if (!s.flags().isEmpty()) out.append("\n        not found: ").append(String.join(", ", s.flags()));
            for (Evidence e : s.evidence()) {
                out.append("\n        source [").append(e.start()).append(", ").append(e.end()).append(")");
                if (full && !e.text().isEmpty()) out.append(" ").append(preview(e.text()));
            }
        }
        return out.toString();
    }

    private static Node node(ChunkSpan c) {
        return new Node("chunk " + c.seq(), "chars [" + c.charStart() + ", " + c.charEnd() + "), " + c.tokenCount()
                + " tokens (" + c.tokenizer() + ")", List.of());
    }

    private static String preview(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return "\"" + (flat.length() > 160 ? flat.substring(0, 159) + "…\" (show --full for all of it)" : flat + "\"");
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    private static void print(PrintWriter out, Node node, String first, String rest) {
        out.println(first + Terminal.safe(node.label()));
        if (node.detail() != null && !node.detail().isBlank()) {
            String pad = rest + (node.children().isEmpty() ? "    " : "│   ");
            for (String line : node.detail().split("\n")) out.println(pad + Terminal.safe(line));
        }
        for (int i = 0; i < node.children().size(); i++) {
            boolean last = i == node.children().size() - 1;
            print(out, node.children().get(i), rest + (last ? "└── " : "├── "), rest + (last ? "    " : "│   "));
        }
    }
}

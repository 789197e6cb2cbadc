package dev.nightshift.pipeline.ground;

import dev.nightshift.pipeline.core.Grounding;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Checks the model-made outputs of one document against the chunks each was made from: a map summary
 * against its chunk, the final summary against every chunk below it. Translations are checked for their
 * numbers and dates only ({@link GroundingCheck.Mode#FACTS}). Extractive summaries, copies and joins are
 * the source's own sentences and are not checked.
 */
public final class OutputChecks {
    private final GroundingCheck check = new GroundingCheck();

    /**
     * @param text    the extraction's text the chunks point into
     * @param facts   true for translations: numbers and dates only
     * @return one entry per output, in the same order: its grounding, or null when it was not checked
     */
    public List<Grounding> check(String text, List<Chunk> chunks, List<OutputDraft> outputs, boolean facts) {
        return check(text, "", chunks, outputs, facts);
    }

    /** @param title the document's file name (or title): what the source says about itself counts as source */
    public List<Grounding> check(String text, String title, List<Chunk> chunks, List<OutputDraft> outputs, boolean facts) {
        List<Grounding> out = new ArrayList<>(outputs.size());
        for (OutputDraft o : outputs) {
            if (!byModel(o) || o.text().isBlank()) {
                out.add(null);
                continue;
            }
            TreeSet<Integer> leaves = new TreeSet<>();
            collect(o, outputs, leaves);
            List<Span> regions = new ArrayList<>();
            for (int seq : leaves) {
                Chunk c = chunks.get(seq);
                if (!regions.isEmpty() && regions.get(regions.size() - 1).end() >= c.charStart()) {
                    Span last = regions.remove(regions.size() - 1);
                    regions.add(new Span(last.start(), Math.max(last.end(), c.charEnd())));
                } else {
                    regions.add(new Span(c.charStart(), c.charEnd()));
                }
            }
            out.add(check.check(o.text(), SourceText.of(text, regions, title), facts ? GroundingCheck.Mode.FACTS : GroundingCheck.Mode.ALIGN));
        }
        return out;
    }

    /** Generated text (or a cached copy of generated text): what a model may have got wrong. */
    static boolean byModel(OutputDraft o) {
        return o.origin() == OutputOrigin.STOP || o.origin() == OutputOrigin.LENGTH || o.origin() == OutputOrigin.CACHED;
    }

    private static void collect(OutputDraft o, List<OutputDraft> all, TreeSet<Integer> leaves) {
        for (InputRef in : o.inputs()) {
            if (in.kind() == InputRef.Kind.CHUNK) leaves.add(in.index());
            else collect(all.get(in.index()), all, leaves);
        }
    }
}

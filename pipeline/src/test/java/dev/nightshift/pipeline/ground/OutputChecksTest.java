package dev.nightshift.pipeline.ground;

import dev.nightshift.pipeline.core.Evidence;
import dev.nightshift.pipeline.core.Grounding;
import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputChecksTest {
    static final String TEXT = "The port handled 2.1 million tonnes in the first half.\n\nThe new crane on the east quay entered service in March.";
    static final int CUT = TEXT.indexOf("The new");
    static final List<Chunk> CHUNKS = List.of(new Chunk(0, 0, CUT - 2, 12, TEXT.substring(0, CUT - 2)),
            new Chunk(1, CUT, TEXT.length(), 12, TEXT.substring(CUT)));

    private static OutputDraft draft(int level, boolean fin, String text, OutputOrigin origin, InputRef... in) {
        return new OutputDraft(level, fin, text, List.of(in), origin, 10, 10, 1);
    }

    @Test
    void eachModelOutputIsCheckedAgainstTheChunksBelowIt() {
        List<OutputDraft> tree = List.of(
                draft(0, false, "The port handled 2.1 million tonnes.", OutputOrigin.STOP, InputRef.chunk(0)),
                draft(0, false, "The new crane on the east quay entered service in March.", OutputOrigin.CACHED, InputRef.chunk(1)),
                // The crane is in chunk 1, not in chunk 0 this one read.
                draft(0, false, "The new crane on the east quay entered service in March.", OutputOrigin.STOP, InputRef.chunk(0)),
                draft(1, true, "The port handled 2.1 million tonnes. A new crane entered service in March on the east quay.",
                        OutputOrigin.LENGTH, InputRef.output(0), InputRef.output(1)));
        List<Grounding> g = new OutputChecks().check(TEXT, CHUNKS, tree, false);
        assertEquals(4, g.size());
        assertEquals(0, g.get(0).unsupported());
        assertEquals(0, g.get(1).unsupported());
        assertFalse(g.get(2).sentences().get(0).supported(), "read only chunk 0");
        assertEquals(0, g.get(3).unsupported(), g.get(3).toString());
        Evidence crane = g.get(3).sentences().get(1).evidence().get(0);
        assertTrue(crane.start() >= CUT, "evidence offsets are into the whole extraction text");
        assertEquals(TEXT.substring(crane.start(), crane.end()), crane.text());
    }

    @Test
    void extractiveAndCopiedOutputsAreNotChecked() {
        List<OutputDraft> tree = List.of(draft(0, true, "The port handled 2.1 million tonnes in the first half.", OutputOrigin.EXTRACTIVE,
                InputRef.chunk(0), InputRef.chunk(1)));
        assertNull(new OutputChecks().check(TEXT, CHUNKS, tree, false).get(0));
    }

    @Test
    void aTranslationIsCheckedForItsNumbers() {
        List<OutputDraft> tree = List.of(
                draft(0, false, "Der Hafen schlug 2,1 Millionen Tonnen um.", OutputOrigin.STOP, InputRef.chunk(0)),
                draft(0, false, "Der neue Kran ging im April in Betrieb.", OutputOrigin.STOP, InputRef.chunk(1)),
                draft(1, true, "joined", OutputOrigin.JOINED, InputRef.output(0), InputRef.output(1)));
        List<Grounding> g = new OutputChecks().check(TEXT, CHUNKS, tree, true);
        assertEquals(0, g.get(0).unsupported());
        assertEquals(List.of("date:April"), g.get(1).sentences().get(0).flags());
        assertNull(g.get(2));
    }
}

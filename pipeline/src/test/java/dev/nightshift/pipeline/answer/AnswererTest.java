package dev.nightshift.pipeline.answer;

import dev.nightshift.pipeline.core.Passage;
import dev.nightshift.pipeline.core.SentenceCheck;
import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.FinishReason;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.Generator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The answer's plumbing with a scripted generator: what the model "says" is fixed, the checks are real. */
class AnswererTest {
    static GemmaEngine engine;

    static final String PORT = "The port handled 2.1 million tonnes in the first half of the year, eight percent more than a year earlier.";
    static final String BEES = "Wild bees are often more effective pollinators than honey bees. Apples give smaller harvests when bees are missing.";
    static final List<Passage> PASSAGES = List.of(
            new Passage(101, 1, "/archive/port.docx", 11, 40, 40 + PORT.length(), PORT, 3.0),
            new Passage(202, 2, "/archive/bees.odt", 22, 0, BEES.length(), BEES, 2.0));

    /** Says what it is told to, and remembers the prompts it got. */
    static final class Scripted implements Generator {
        final String text;
        final List<GenerationRequest> seen = new ArrayList<>();

        Scripted(String text) {
            this.text = text;
        }

        @Override
        public List<GenerationResult> generate(List<GenerationRequest> requests) {
            seen.addAll(requests);
            return requests.stream().map(r -> new GenerationResult(new int[] {1, 2, 3}, text, FinishReason.STOP, r.promptIds().length, 0, 0, 0)).toList();
        }
    }

    @BeforeAll
    static void load() {
        engine = GemmaEngine.load(Path.of("src/test/resources/models/tiny-gemma3").toAbsolutePath(), Dtype.FP32, 2);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void aSentenceCitingAPassageThatDoesNotSupportItIsFlagged() {
        Scripted model = new Scripted("The port handled 2.1 million tonnes in the first half [1]. "
                + "Wild bees are better pollinators than honey bees [1]. Apples give smaller harvests when bees are missing [2].");
        Answer a = new Answerer(engine, model, 2048, 64).ask("How much did the port handle, and why do bees matter?", PASSAGES);
        assertFalse(a.notFound());
        assertEquals(List.of(1, 2), a.cited());
        List<SentenceCheck> s = a.grounding().sentences();
        assertEquals(3, s.size(), s.toString());
        assertTrue(s.get(0).supported(), s.get(0).toString());
        assertEquals(101, s.get(0).evidence().get(0).chunkId());
        assertEquals(40, s.get(0).evidence().get(0).start(), "offsets into the passage's own extraction");
        // Said by source 2, but cited as source 1: not supported by what it cites.
        assertFalse(s.get(1).supported());
        assertTrue(s.get(1).flags().contains("cited:1"), s.get(1).flags().toString());
        assertTrue(s.get(2).supported(), s.get(2).toString());
        assertEquals(1, a.grounding().unsupported());
    }

    @Test
    void aCitationOfNoSuchSourceAndAChangedNumberAreFlagged() {
        Answer a = new Answerer(engine, new Scripted("The port handled 3.4 million tonnes [1]. Bees matter [7]."), 2048, 64)
                .ask("port tonnes bees", PASSAGES);
        assertTrue(a.grounding().sentences().get(0).flags().contains("number:3.4 million"), a.grounding().toString());
        assertTrue(a.grounding().sentences().get(1).flags().get(0).startsWith("citation:[7]"));
    }

    @Test
    void nothingRelevantIsNotFoundWithoutAskingTheModel() {
        Scripted model = new Scripted("anything");
        Answer a = new Answerer(engine, model, 2048, 64).ask("volcanic eruptions in Iceland", PASSAGES);
        assertTrue(a.notFound());
        assertEquals(Answerer.NOT_FOUND_TEXT, a.text());
        assertTrue(model.seen.isEmpty());
        assertTrue(new Answerer(engine, new Scripted("NOT FOUND"), 2048, 64).ask("port harvests", PASSAGES).notFound());
    }

    @Test
    void passagesAreCutToFitTheContextAndTheQuestionNever() {
        Scripted model = new Scripted("The port handled 2.1 million tonnes [1].");
        String question = "How many tonnes did the port handle in the first half of the year, and what about bees?";
        Answerer small = new Answerer(engine, model, 800, 32);
        Answer a = small.ask(question, PASSAGES);
        long[] prompt = model.seen.get(0).promptIds();
        assertTrue(prompt.length + 32 <= small.contextBudget(), "prompt " + prompt.length);
        String decoded = engine.tokenizer().decode(prompt).replace('▁', ' '); // the test tokenizer keeps its space marks
        assertTrue(decoded.contains(question), "the question is whole: " + decoded);
        assertTrue(a.left() >= 1, "left " + a.left());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> small.ask("port ".repeat(400), PASSAGES));
        assertTrue(tooLong.getMessage().contains("no room for sources"), tooLong.getMessage());
    }
}

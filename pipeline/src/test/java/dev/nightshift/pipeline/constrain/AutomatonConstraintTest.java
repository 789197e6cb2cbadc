package dev.nightshift.pipeline.constrain;

import dev.nightshift.pipeline.llm.TestModels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nightshift.pipeline.constrain.Grammar.alt;
import static dev.nightshift.pipeline.constrain.Grammar.range;
import static dev.nightshift.pipeline.constrain.Grammar.seq;
import static dev.nightshift.pipeline.constrain.Grammar.text;
import static org.assertj.core.api.Assertions.assertThat;

class AutomatonConstraintTest {
    /**
     * A list of up to 12 items, each a quoted word of at most 40 letters: its automaton has a copy of the item per
     * place in the list and a state per letter count, and most of them share a mask with another. Every state's
     * shared mask allows what checking each token's bytes from the state allows, without a budget and with tight ones.
     */
    @Test
    void statesThatShareAMaskAllowExactlyWhatTheirOwnWalkAllows() {
        TokenVocabulary vocabulary = TokenVocabulary.of(TestModels.path("tiny-gemma3").resolve("tokenizer.json"));
        Grammar item = seq(text("\""), new Grammar.Repeat(alt(range('a', 'z'), text(" ")), 0, 40), text("\""));
        Grammar list = seq(text("["), item, new Grammar.Repeat(seq(text(", "), item), 0, 11), text("]"));
        ByteDfa dfa = ByteDfa.of(list);
        AutomatonConstraint c = new AutomatonConstraint(dfa, vocabulary);
        for (int s = 0; s < dfa.states(); s++) {
            if (c.distance(s) >= AutomatonConstraint.FAR) continue;
            // No budget, and budgets about what completing the output takes from here: tighter than most
            // tokens need, and between those and the farthest.
            java.util.List<Integer> limits = new java.util.ArrayList<>(List.of(AutomatonConstraint.FAR - 1));
            for (int limit = Math.max(0, c.distance(s) - 2); limit <= c.distance(s) + 4; limit++) limits.add(limit);
            for (int limit : limits) {
                long[][] masks = c.sharedAndOwn(s, limit);
                assertThat(masks[0]).as("state %d, budget %d", s, limit).isEqualTo(masks[1]);
            }
        }
        assertThat(c.stats().classes()).as("states sharing masks").isLessThan(dfa.states() / 2);
    }

    /**
     * The budget counts pieces, not bytes: the shortest output {"invoice_number":0} is 20 bytes, fewer pieces; and a row
     * given exactly that many tokens, always taking the shortest piece its masks allow, still ends complete in time.
     */
    @Test
    void theBudgetCountsTheVocabularysPiecesNotBytes() {
        TokenVocabulary vocabulary = TokenVocabulary.of(TestModels.path("tiny-gemma3").resolve("tokenizer.json"));
        Grammar object = seq(text("{\"invoice_number\":"), alt(text("0"), seq(range('1', '9'), new Grammar.Repeat(range('0', '9'), 0, 17))), text("}"));
        AutomatonConstraint c = new AutomatonConstraint(ByteDfa.of(object), vocabulary);
        assertThat(c.shortest()).isLessThan(20).isGreaterThan(0);
        var cursor = c.start();
        float[] logits = new float[vocabulary.size];
        boolean complete = false;
        for (int remaining = c.shortest(); remaining > 0 && !complete; remaining--) {
            // The allowed piece of fewest bytes: the least progress a model could make.
            java.util.Arrays.fill(logits, 0f);
            cursor.mask(logits, 0, logits.length, remaining);
            int pick = -1;
            for (int id = 0; id < logits.length; id++) {
                if (logits[id] == Float.NEGATIVE_INFINITY) continue;
                if (pick < 0 || vocabulary.bytes(id).length < vocabulary.bytes(pick).length) pick = id;
            }
            complete = cursor.advance(pick);
        }
        assertThat(complete).as("complete within %d tokens", c.shortest()).isTrue();
    }

    @Test
    void bytesOfPieces() {
        assertThat(TokenVocabulary.bytesOf("<0xE2>")).containsExactly((byte) 0xE2);
        assertThat(new String(TokenVocabulary.bytesOf("\u2581total"), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(" total");
        assertThat(List.of(new String(TokenVocabulary.bytesOf("<0xZZ>")))).containsExactly("<0xZZ>");
    }
}

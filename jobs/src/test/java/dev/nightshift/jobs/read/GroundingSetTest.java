package dev.nightshift.jobs.read;

import dev.nightshift.jobs.CorpusIT;

import dev.nightshift.connectors.extract.TikaExtractor;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.ground.GroundingCheck;
import dev.nightshift.pipeline.core.SentenceCheck;
import dev.nightshift.pipeline.ground.SourceText;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measures the grounding check on the hand-written set in {@code grounding/cases.tsv}: faithful sentences and
 * paraphrases of the samples and of ../shared/corpus, and copies with one fact changed. Prints the table
 * docs/grounding.md shows (rerun: {@code mvn -pl jobs test -Dtest=GroundingSetTest}); the issue's bar: at least
 * 90% of the changed sentences flagged, at most 10% of the faithful ones. Corpus rows are left out, with a
 * note, where the corpus is absent.
 */
class GroundingSetTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** A set cut short by a missing corpus is held to the bar only with at least this many sentences of each kind. */
    static final int MIN_SUBSET = 20;

    record Case(String source, String kind, String sentence) {
        boolean changed() {
            return !kind.equals("faithful") && !kind.equals("paraphrase");
        }
    }

    @Test
    void flagsChangedFactsAndPassesFaithfulSentences() throws Exception {
        measure("cases.tsv");
    }

    /** Sentences written after tuning, never tuned on: how the check does on text it has not seen. */
    @Test
    void heldOutSet() throws Exception {
        measure("heldout.tsv");
    }

    /**
     * Written after issue 12's last change and first run as is then (16/17 changed flagged, 1/17 faithful
     * flagged); since, it holds the same bar as the two sets above, so that no later change loses it.
     */
    @Test
    void unseenSet() throws Exception {
        measure("unseen.tsv");
    }

    /**
     * Issue 21's evaluation: 530 claims over 47 real files (see grounding/sources/SOURCES.md), in four parts written
     * one after the other, each before the changes that followed it. The tuning part (216 claims, 19 files) is held
     * to issue 21's bar. Each held-out part was run once when finished, reported as is, then looked at before the next
     * was written: the first (132 claims, 12 files) gave 80% of changed sentences flagged and 16% of faithful ones,
     * the second (103 claims, 9 files) 81% and 8%, the third (79 claims, 7 files, two real e-mails) 85% and 18%.
     * Their floors here are the levels reached since, so that a change that loses ground fails.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
            "eval-tuning.tsv, 90, 10",
            "eval-heldout.tsv, 85, 10",
            "eval-heldout2.tsv, 87, 8",
            "eval-heldout3.tsv, 84.9, 10"})
    void evaluation(String part, double minChanged, double maxFaithful) throws Exception {
        measure(part, minChanged, maxFaithful);
    }

    private void measure(String set) throws Exception {
        measure(set, 90, 10);
    }

    private void measure(String set, double minChanged, double maxFaithful) throws Exception {
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/grounding/" + set), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            cases.add(new Case(f[0], f[1], f[2]));
        }
        Map<String, SourceText> sources = new HashMap<>();
        int skipped = 0;
        Map<String, int[]> byKind = new TreeMap<>(); // kind -> {cases, flagged}
        List<String> misses = new ArrayList<>();
        GroundingCheck check = new GroundingCheck();
        try (TikaExtractor tika = TikaExtractor.inProcess(Duration.ofSeconds(60), 20_000_000, false)) {
            for (Case c : cases) {
                Path file = file(c.source());
                if (!Files.isRegularFile(file)) {
                    skipped++;
                    continue;
                }
                SourceText source = sources.computeIfAbsent(c.source(), k -> SourceText.of(Claims.textOf(
                        tika.extract(new SourceItem(file.toString(), file, size(file), java.time.Instant.EPOCH))), file.getFileName().toString()));
                List<SentenceCheck> checked = check.check(c.sentence(), source, GroundingCheck.Mode.ALIGN).sentences();
                boolean flagged = checked.stream().anyMatch(s -> !s.supported());
                int[] counts = byKind.computeIfAbsent(c.kind(), k -> new int[2]);
                counts[0]++;
                if (flagged) counts[1]++;
                if (System.getProperty("grounding.all") != null && flagged && c.changed()) System.out.println("  CAUGHT  " + c.kind() + "  " + c.sentence() + "  " + checked.stream().map(sc -> sc.flags()).toList());
                if (flagged != c.changed()) {
                    misses.add((flagged ? "FLAGGED " : "MISSED  ") + c.kind() + "  " + c.sentence() + "  "
                            + checked.stream().map(s -> s.score() + " " + s.flags()).toList());
                }
            }
        }
        if (skipped > 0) System.err.println("GroundingSetTest: " + skipped + " corpus cases SKIPPED: no corpus at " + CorpusIT.CORPUS);

        int changed = 0, changedFlagged = 0, faithful = 0, faithfulFlagged = 0;
        StringBuilder table = new StringBuilder("| kind | sentences | flagged |\n|---|---:|---:|\n");
        for (Map.Entry<String, int[]> e : byKind.entrySet()) {
            int n = e.getValue()[0], f = e.getValue()[1];
            table.append(String.format(Locale.ROOT, "| %s | %d | %d (%.0f%%) |%n", e.getKey(), n, f, 100.0 * f / n));
            if (e.getKey().equals("faithful") || e.getKey().equals("paraphrase")) {
                faithful += n;
                faithfulFlagged += f;
            } else {
                changed += n;
                changedFlagged += f;
            }
        }
        double changedRate = 100.0 * changedFlagged / changed, faithfulRate = 100.0 * faithfulFlagged / faithful;
        table.append(String.format(Locale.ROOT, "| **all changed** | %d | %d (%.0f%%) |%n| **all faithful** | %d | %d (%.0f%%) |%n",
                changed, changedFlagged, changedRate, faithful, faithfulFlagged, faithfulRate));
        System.out.println("Grounding check " + GroundingCheck.VERSION + " on grounding/" + set + ":\n" + table);
        misses.forEach(m -> System.out.println("  " + m));
        if (skipped > 0 && set.startsWith("eval-")) {
            // The evaluation's floors are the levels measured on whole parts: a part without its corpus rows is
            // another set (the tuning part without its spreadsheets is 88 of 98 changed sentences, 89.8%).
            String why = "GroundingSetTest " + set + ": the floor is not checked without the " + skipped
                    + " corpus claims (SKIPPED, no corpus at " + CorpusIT.CORPUS + ")";
            System.err.println(why);
            org.junit.jupiter.api.Assumptions.assumeTrue(false, why);
        }
        if (skipped > 0 && (faithful < MIN_SUBSET || changed < MIN_SUBSET)) {
            // Without ../shared/corpus a set can shrink to a few sentences, where one miss is more than the bar
            // allows: the bar is a statement about the whole set, which CI (beside ../shared) measures.
            String why = "GroundingSetTest " + set + ": the bar is not checked on " + faithful + " faithful and " + changed
                    + " changed sentences (" + skipped + " corpus cases SKIPPED, no corpus at " + CorpusIT.CORPUS + ")";
            System.err.println(why);
            org.junit.jupiter.api.Assumptions.assumeTrue(false, why);
        }
        assertTrue(changedRate >= minChanged, "changed sentences flagged: " + changedRate + "%");
        assertTrue(faithfulRate <= maxFaithful, "faithful sentences flagged: " + faithfulRate + "%");
    }

    /** {@code corpus/...} in ../shared/corpus, {@code sources/...} beside the sets, anything else under the repository. */
    static Path file(String source) {
        if (source.startsWith("corpus/")) return CorpusIT.CORPUS.resolve(source.substring(7));
        if (source.startsWith("sources/")) return Path.of("src/test/resources/grounding").resolve(source);
        return ROOT.resolve(source);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.Build;
import dev.nightshift.jobs.cli.DataLayout;
import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.jobs.cli.UserException;
import dev.nightshift.jobs.run.ModelOptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nightshift.connectors.search.IndexRetriever;
import dev.nightshift.connectors.search.LuceneIndex;
import dev.nightshift.pipeline.answer.Answer;
import dev.nightshift.pipeline.answer.Answerer;
import dev.nightshift.pipeline.core.Passage;
import dev.nightshift.pipeline.core.Evidence;
import dev.nightshift.pipeline.core.SentenceCheck;
import dev.nightshift.pipeline.llm.DirectGenerator;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.store.IndexFeed;
import dev.nightshift.pipeline.store.QuestionOutput;
import dev.nightshift.pipeline.store.TextQueries;
import dev.nightshift.pipeline.store.RunStatus;
import dev.nightshift.pipeline.store.Store;
import dev.nightshift.pipeline.store.StoreLockedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "ask", description = "Answer QUESTION from the archive: the best chunks (BM25 over the search index) go to the "
        + "model, which must answer only from them and cite them as [1], [2]; every sentence of the answer is then checked "
        + "against the chunks it cites. Prints the answer with its sources (paths and character spans) and stores it with "
        + "lineage to those chunks.")
public final class AskCommand implements Callable<Integer> {
    enum Format { text, json }

    @Parameters(paramLabel = "QUESTION", description = "What to ask, in words.")
    String question;

    @Mixin
    DataOptions data;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The model folder that answers.")
    Path model;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "6", description = "Most chunks given to the model (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--context-budget", paramLabel = "TOKENS", defaultValue = "2048",
            description = "Most tokens of prompt, question, chunks and answer (default: ${DEFAULT-VALUE}); chunks are left out to fit, "
                    + "never the question.")
    int contextBudget;

    @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "256", description = "Longest answer (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (question == null || question.isBlank()) throw new UserException(ExitCodes.USAGE, "the question is empty");
        if (limit < 1) throw new UserException(ExitCodes.USAGE, "--limit must be at least 1");
        if (maxNewTokens < 1) throw new UserException(ExitCodes.USAGE, "--max-new-tokens must be at least 1");
        Path base = data.existingDatabase();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (GemmaEngine engine = modelOptions.load(model);
             LuceneIndex index = LuceneIndex.open(LuceneIndex.folderOf(base), note -> err.println("nightshift: note: " + Terminal.line(note)))) {
            Store store;
            boolean writable = true;
            try {
                store = Store.open(base, java.time.Clock.systemUTC());
            } catch (StoreLockedException e) {
                // A run holds the database: answer from what it has committed and indexed, store nothing.
                store = Store.openSnapshot(base, DataLayout.temp(), java.time.Clock.systemUTC());
                writable = false;
            }
            try (Store open = store) {
                if (writable) index.catchUp(new IndexFeed(open));
                Answerer answerer = new Answerer(engine, new DirectGenerator(engine, 1), contextBudget, maxNewTokens);
                Answer a;
                try {
                    a = answerer.ask(question, new IndexRetriever(index, new TextQueries(open)).retrieve(question, limit));
                } catch (IllegalArgumentException e) {
                    throw new UserException(ExitCodes.USAGE, Terminal.line(e.getMessage()));
                }
                Long outputId = null;
                if (writable) {
                    long runId = open.startRun("ask", String.join(" ", spec.commandLine().getParseResult().originalArgs()), Build.version());
                    outputId = open.saveAnswer(runId, answerer.task(), new QuestionOutput(a.question(), a.text(), a.origin(),
                            a.promptTokens(), a.generatedTokens(), a.durationMs(), a.sources(), a.grounding()));
                    open.finishRun(runId, RunStatus.COMPLETED, "answered: output " + outputId);
                } else {
                    err.println("nightshift: note: a run is using the database; the answer is not stored");
                }
                if (a.left() > 0) {
                    err.println("nightshift: note: " + a.left() + " of the chunks found were left out or cut to fit a context of "
                            + answerer.contextBudget() + " tokens (--context-budget, at most the model's context)");
                }
                if (format == Format.json) {
                    out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(AnswerJson.json(a, outputId)));
                } else {
                    print(a, outputId, out);
                }
            }
        }
        return ExitCodes.OK;
    }

    static void print(Answer a, Long outputId, PrintWriter out) {
        if (a.notFound()) {
            out.println(Answerer.NOT_FOUND_TEXT + (a.sources().isEmpty() ? " (no stored chunk speaks of it)" : " (the model found no answer in the "
                    + a.sources().size() + " chunks it was given)"));
        } else {
            out.println(Terminal.safe(a.text()));
        }
        if (!a.sources().isEmpty()) {
            out.println();
            out.println("Sources:");
            for (int i = 0; i < a.sources().size(); i++) {
                Passage p = a.sources().get(i);
                out.println("  [" + (i + 1) + "] " + Terminal.line(p.path()) + "  chars " + p.start() + "-" + p.end()
                        + (a.cited().contains(i + 1) ? "" : "  (not cited)"));
            }
        }
        if (a.grounding() != null) {
            out.println();
            out.println("Checked against the cited sources (" + a.grounding().checker() + "): " + (a.grounding().sentences().size()
                    - a.grounding().unsupported()) + " of " + a.grounding().sentences().size() + " sentences supported");
            for (SentenceCheck s : a.grounding().sentences()) {
                out.println((s.supported() ? "  ok " : "  ✗  ") + String.format(Locale.ROOT, "%.2f ", s.score()) + Terminal.line(s.sentence()));
                if (!s.flags().isEmpty()) out.println("        not found: " + Terminal.line(String.join(", ", s.flags())));
                for (Evidence e : s.evidence()) {
                    int n = sourceNumber(a, e.chunkId());
                    out.println("        source " + (n > 0 ? "[" + n + "] " : "") + "chars " + e.start() + "-" + e.end());
                }
            }
        }
        if (outputId != null) out.println("\nStored as output " + outputId + ".");
    }

    private static int sourceNumber(Answer a, long chunkId) {
        for (int i = 0; i < a.sources().size(); i++) if (a.sources().get(i).chunkId() == chunkId) return i + 1;
        return 0;
    }
}

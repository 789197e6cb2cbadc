package dev.nightshift.pipeline.answer;

import dev.nightshift.pipeline.core.Passage;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.core.Task;
import dev.nightshift.pipeline.core.Evidence;
import dev.nightshift.pipeline.core.Grounding;
import dev.nightshift.pipeline.ground.GroundingCheck;
import dev.nightshift.pipeline.core.SentenceCheck;
import dev.nightshift.pipeline.ground.Sentences;
import dev.nightshift.pipeline.ground.SourceText;
import dev.nightshift.pipeline.ground.Span;
import dev.nightshift.pipeline.llm.model.ChatTemplate;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.GenerationRequest;
import dev.nightshift.pipeline.llm.GenerationResult;
import dev.nightshift.pipeline.llm.Generator;
import dev.nightshift.pipeline.llm.SamplingParams;
import dev.nightshift.pipeline.task.PromptFrame;
import dev.nightshift.pipeline.task.PromptTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a question from retrieved passages: the model is told to answer only from them and to cite
 * them by number; the answer is then checked sentence by sentence against the passages each sentence
 * cites (all of them where it cites none). A citation to a passage that does not say what the sentence
 * says leaves the sentence unsupported, flagged {@code cited:N}.
 *
 * <p>The question is never cut: the passages are, to fit the context ({@link Answer#left()} says how many
 * were left out); a question that leaves no room for any passage is refused.
 */
public final class Answerer {
    /** What an answer says when the archive does not hold one. */
    public static final String NOT_FOUND_TEXT = "not found in the archive";
    private static final PromptTemplate PROMPT = PromptTemplate.load("ask", "1");
    /** Less room than this for passages is no room: the question is refused. */
    static final int MIN_SOURCE_TOKENS = 64;
    private static final Pattern CITATION = Pattern.compile("\\[(\\d{1,3}(?:\\s*[,;]\\s*\\d{1,3})*)\\]");

    private final GemmaEngine engine;
    private final Generator generator;
    private final int contextBudget;
    private final int maxNewTokens;
    private final GroundingCheck check = new GroundingCheck();

    public Answerer(GemmaEngine engine, Generator generator, int contextBudget, int maxNewTokens) {
        this.engine = engine;
        this.generator = generator;
        this.contextBudget = Math.min(contextBudget, engine.config().contextLength());
        this.maxNewTokens = maxNewTokens;
    }

    /** The tokens of prompt, passages and answer: the budget asked for, at most the model's context. */
    public int contextBudget() {
        return contextBudget;
    }

    /** The provenance of every answer: model, prompt and parameters. */
    public Task task() {
        Map<String, String> parameters = new LinkedHashMap<>(SamplingParams.GREEDY.asParameters());
        parameters.put("max_new_tokens", Integer.toString(maxNewTokens));
        parameters.put("context_budget", Integer.toString(contextBudget));
        return new Task("answer", "model", engine.label(),
                engine.folder().identity(), PROMPT.name(), PROMPT.version(), Hashing.sha256(PROMPT.text()), parameters);
    }

    /**
     * @param retrieved passages best first; those that share no content word with the question are dropped
     * @throws IllegalArgumentException when the question alone leaves no room for a passage
     */
    public Answer ask(String question, List<Passage> retrieved) {
        String q = question.strip();
        if (q.isEmpty()) throw new IllegalArgumentException("the question is empty");
        PromptFrame frame = frame(q);
        int room = contextBudget - frame.overhead() - maxNewTokens;
        if (room < MIN_SOURCE_TOKENS) {
            throw new IllegalArgumentException("the question takes " + engine.tokenizer().encode(q).length + " tokens, the prompt with it "
                    + frame.overhead() + ": with a " + maxNewTokens + "-token answer that leaves no room for sources in a context of "
                    + contextBudget + " tokens; ask a shorter question");
        }
        Set<String> asked = GroundingCheck.contentKeys(q);
        List<Passage> relevant = retrieved.stream().filter(p -> GroundingCheck.contentKeys(p.text()).stream().anyMatch(asked::contains)).toList();
        if (relevant.isEmpty()) {
            return new Answer(q, NOT_FOUND_TEXT, List.of(), List.of(), null, true, 0, OutputOrigin.STOP, 0, 0, 0);
        }

        // The passages that fit, best first; the last one that does not fit whole is cut to the room left.
        List<Passage> given = new ArrayList<>();
        List<long[]> pieces = new ArrayList<>();
        long[] separator = engine.tokenizer().encode("\n\n");
        int used = 0;
        boolean cutLast = false;
        for (Passage p : relevant) {
            String header = "[" + (given.size() + 1) + "] " + p.path() + "\n";
            long[] ids = engine.tokenizer().encode(header + p.text());
            int left = room - used - (given.isEmpty() ? 0 : separator.length);
            if (ids.length <= left) {
                given.add(p);
                pieces.add(ids);
                used += ids.length + (given.size() == 1 ? 0 : separator.length);
                continue;
            }
            if (left >= MIN_SOURCE_TOKENS) {
                Passage cut = cut(p, header, left);
                if (cut != null) {
                    given.add(cut);
                    pieces.add(engine.tokenizer().encode(header + cut.text()));
                    cutLast = true;
                }
            }
            break;
        }
        int leftOut = relevant.size() - given.size() + (cutLast ? 1 : 0);
        long[] prompt = frame.wrap(pieces, separator);
        long started = System.nanoTime();
        GenerationResult r = generator.generate(List.of(new GenerationRequest(prompt, maxNewTokens, SamplingParams.GREEDY, true))).get(0);
        long ms = (System.nanoTime() - started) / 1_000_000;
        String text = r.text().strip();
        OutputOrigin origin = r.origin();
        if (text.startsWith("NOT FOUND") || text.isEmpty()) {
            return new Answer(q, NOT_FOUND_TEXT, given, List.of(), null, true, leftOut, origin, prompt.length, r.tokenIds().length, ms);
        }
        List<Integer> cited = new ArrayList<>(new LinkedHashSet<>(citations(text, 0, text.length())));
        return new Answer(q, text, given, cited, ground(text, given), false, leftOut, origin, prompt.length, r.tokenIds().length, ms);
    }

    /** The question in the prompt, the passages to go where the marker is. */
    private PromptFrame frame(String question) {
        int at = PROMPT.text().indexOf("{text}");
        String user = PROMPT.text().substring(0, at).replace("{question}", question) + PromptFrame.MARKER + PROMPT.text().substring(at + 6);
        String rendered = engine.template().render(List.of(new ChatTemplate.Message("user", user)), true);
        return PromptFrame.around(rendered, engine.tokenizer(), "prompt " + PROMPT.name());
    }

    /** The longest start of a passage that fits {@code tokens} with its header, or null. */
    private Passage cut(Passage p, String header, int tokens) {
        int lo = 0, hi = p.text().length();
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            if (engine.tokenizer().encode(header + p.text().substring(0, mid)).length <= tokens) lo = mid;
            else hi = mid - 1;
        }
        if (lo == 0) return null;
        return new Passage(p.chunkId(), p.documentId(), p.path(), p.extractionId(), p.start(), p.start() + lo, p.text().substring(0, lo), p.score());
    }

    /** Source numbers cited in {@code text[from, to)}: "[2]", "[1, 3]". */
    static List<Integer> citations(String text, int from, int to) {
        List<Integer> out = new ArrayList<>();
        Matcher m = CITATION.matcher(text).region(from, to);
        while (m.find()) for (String n : m.group(1).split("\\s*[,;]\\s*")) out.add(Integer.parseInt(n));
        return out;
    }

    /**
     * Checks each sentence of the answer against the passages it cites. The citation marks are blanked
     * first (their numbers are no facts), and a mark after a sentence's full stop belongs to that sentence.
     */
    Grounding ground(String answer, List<Passage> sources) {
        // The sources as one text, each passage at a known offset.
        StringBuilder context = new StringBuilder();
        int[] at = new int[sources.size()];
        for (int i = 0; i < sources.size(); i++) {
            if (i > 0) context.append("\n\n");
            at[i] = context.length();
            context.append(sources.get(i).text());
        }
        String all = context.toString();
        StringBuilder masked = new StringBuilder(answer);
        List<int[]> marks = new ArrayList<>();
        Matcher m = CITATION.matcher(answer);
        while (m.find()) {
            for (int i = m.start(); i < m.end(); i++) masked.setCharAt(i, ' ');
            marks.add(new int[] {m.start(), m.end()});
        }
        String plain = masked.toString();
        List<Span> sentences = Sentences.split(plain);
        List<SentenceCheck> out = new ArrayList<>();
        for (int s = 0; s < sentences.size(); s++) {
            Span span = sentences.get(s);
            int until = s + 1 < sentences.size() ? sentences.get(s + 1).start() : answer.length();
            List<Integer> cites = new ArrayList<>();
            for (int[] mark : marks) if (mark[0] >= span.start() && mark[0] < until) cites.addAll(citations(answer, mark[0], mark[1]));
            List<String> bad = new ArrayList<>();
            List<Span> regions = new ArrayList<>();
            for (int n : new LinkedHashSet<>(cites)) {
                if (n < 1 || n > sources.size()) bad.add("citation:[" + n + "] (no such source)");
                else regions.add(new Span(at[n - 1], at[n - 1] + sources.get(n - 1).text().length()));
            }
            boolean citesSome = !regions.isEmpty();
            if (!citesSome) for (int i = 0; i < sources.size(); i++) regions.add(new Span(at[i], at[i] + sources.get(i).text().length()));
            regions.sort(java.util.Comparator.comparingInt(Span::start));
            String sentence = span.of(plain);
            for (SentenceCheck c : check.check(sentence, SourceText.of(all, regions), GroundingCheck.Mode.ALIGN).sentences()) {
                List<Evidence> evidence = new ArrayList<>();
                for (Evidence e : c.evidence()) evidence.add(locate(e, at, sources));
                List<String> flags = new ArrayList<>(bad);
                flags.addAll(c.flags());
                if (!c.flags().isEmpty() && citesSome) flags.add("cited:" + cites.stream().distinct().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse(""));
                out.add(new SentenceCheck(span.start() + c.start(), span.start() + c.end(), answer.substring(span.start() + c.start(),
                        span.start() + c.end()).strip(), flags.isEmpty(), c.score(), evidence, flags));
            }
        }
        return new Grounding(GroundingCheck.VERSION, out);
    }

    /** A span of the joined sources as a span of the passage's own extraction, with its chunk. */
    private static Evidence locate(Evidence e, int[] at, List<Passage> sources) {
        int i = at.length - 1;
        while (i > 0 && at[i] > e.start()) i--;
        Passage p = sources.get(i);
        int start = p.start() + (e.start() - at[i]);
        int end = Math.min(p.end(), p.start() + (e.end() - at[i]));
        return new Evidence(start, end, e.text(), p.chunkId());
    }
}

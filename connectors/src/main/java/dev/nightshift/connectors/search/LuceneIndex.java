package dev.nightshift.connectors.search;

import dev.nightshift.pipeline.store.IndexFeed;
import dev.nightshift.pipeline.store.SearchRecord;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.highlight.Highlighter;
import org.apache.lucene.search.highlight.InvalidTokenOffsetsException;
import org.apache.lucene.search.highlight.QueryScorer;
import org.apache.lucene.search.highlight.SimpleHTMLFormatter;
import org.apache.lucene.search.highlight.SimpleSpanFragmenter;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.index.IndexCommit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Full-text search over what a database holds (Apache Lucene, BM25): one Lucene document per chunk of
 * each document's latest extraction, and one per final output. The index lives beside the database
 * ({@code <db>.search/}) and is only ever built from it ({@link IndexFeed#searchRecords}), so it can be
 * rebuilt at any time; its commit records the database's {@link IndexFeed.Mark} it was built to, and
 * catching up re-indexes each source whose latest document gained rows since (a new version replaces
 * the old one's entries: one source, one set of entries). A run catches up after each file it stores; a run killed in between
 * leaves the index behind, never ahead, and the next run or search catches up.
 *
 * <p>Text is analysed twice: by the standard analyzer into {@code text}, and by the analyzer of the
 * document's language (stemming, stop words) into {@code text_<lang>} where Lucene has one. Queries
 * search both, so "harbours" finds "harbour" in an English document and a phrase still matches exactly.
 * Fields a query can name: {@code path:}, {@code type:} (media type words: {@code type:pdf}), {@code lang:},
 * {@code kind:} (chunk, output), {@code task:}.
 */
public final class LuceneIndex implements AutoCloseable {
    public static final String MARK_START = "«";
    public static final String MARK_END = "»";
    /** The commit data key holding the database's mark the index was built to: "document/extraction/output". */
    private static final String WATERMARK = "nightshift.mark";
    private static final Map<String, Analyzer> LANGUAGES = Map.of(
            "en", new EnglishAnalyzer(), "de", new GermanAnalyzer(), "fr", new FrenchAnalyzer(), "es", new SpanishAnalyzer(),
            "it", new ItalianAnalyzer(), "nl", new DutchAnalyzer(), "pt", new PortugueseAnalyzer());

    private final Path folder;
    private final Directory directory;
    private final Analyzer analyzer;
    private IndexWriter writer;

    private LuceneIndex(Path folder) throws IOException {
        this(folder, FSDirectory.open(folder));
    }

    private LuceneIndex(Path folder, Directory directory) {
        this.folder = folder;
        this.directory = directory;
        Map<String, Analyzer> perField = new HashMap<>();
        LANGUAGES.forEach((lang, a) -> perField.put("text_" + lang, a));
        this.analyzer = new PerFieldAnalyzerWrapper(new StandardAnalyzer(), perField);
    }

    /** The index folder of a database: beside it, {@code <db>.search}. */
    public static Path folderOf(Path databaseBase) {
        return Path.of(databaseBase + ".search");
    }

    public static LuceneIndex open(Path folder) {
        return open(folder, note -> { });
    }

    /**
     * An index in memory, for a reader that must not write beside the database (the MCP server) when the
     * index on disk is missing or behind: {@link #rebuild} fills it.
     */
    public static LuceneIndex inMemory() {
        return new LuceneIndex(Path.of("(memory)"), new ByteBuffersDirectory());
    }

    /** The database mark the last commit was built to, read without taking the write lock. */
    public IndexFeed.Mark indexedMark() {
        try {
            if (!DirectoryReader.indexExists(directory)) return IndexFeed.Mark.ZERO;
            List<IndexCommit> commits = DirectoryReader.listCommits(directory);
            return parseMark(commits.get(commits.size() - 1).getUserData().get(WATERMARK));
        } catch (IOException | RuntimeException e) {
            return IndexFeed.Mark.ZERO;
        }
    }

    /**
     * Opens the index, or starts a new one when it is damaged (a truncated file, a foreign folder): the
     * index holds nothing the database does not, so it is emptied and rebuilt by the next catch-up, and
     * {@code note} is told why.
     */
    public static LuceneIndex open(Path folder, java.util.function.Consumer<String> note) {
        try {
            Files.createDirectories(folder);
            try (FSDirectory probe = FSDirectory.open(folder)) {
                if (DirectoryReader.indexExists(probe)) {
                    try (DirectoryReader reader = DirectoryReader.open(probe)) {
                        reader.numDocs();
                    }
                }
            } catch (IOException | RuntimeException damaged) {
                note.accept("the search index " + folder + " could not be read (" + damaged.getClass().getSimpleName()
                        + "); it is rebuilt from the database");
                try (var files = Files.list(folder)) {
                    for (Path f : files.toList()) Files.deleteIfExists(f);
                }
            }
            return new LuceneIndex(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Indexes the documents stored after the watermark and commits. Called by a run after each file and
     * by search before it reads; takes the index's write lock while it runs.
     *
     * @return documents added
     */
    public synchronized int catchUp(IndexFeed feed) {
        try {
            IndexWriter w = writer();
            IndexFeed.Mark from = watermarkOf(w);
            IndexFeed.Mark to = feed.mark();
            int[] added = {0};
            feed.searchRecords(from, r -> {
                try {
                    // One set of entries per source: the latest version's, replacing whatever was there.
                    w.deleteDocuments(new Term("source", r.document().locator()));
                    for (SearchRecord.Passage c : r.chunks()) w.addDocument(document(r, "chunk", c));
                    for (SearchRecord.Passage o : r.outputs()) w.addDocument(document(r, "output", o));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                added[0]++;
            });
            if (!to.equals(from) || !DirectoryReader.indexExists(directory)) {
                w.setLiveCommitData(Map.of(WATERMARK, to.document() + "/" + to.extraction() + "/" + to.output()).entrySet());
                w.commit();
            }
            return added[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the search index " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Deletes everything and indexes the database again. */
    public synchronized int rebuild(IndexFeed feed) {
        try {
            IndexWriter w = writer();
            w.deleteAll();
            w.setLiveCommitData(Map.of(WATERMARK, "0/0/0").entrySet());
            w.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the search index " + folder + ": " + e.getMessage(), e);
        }
        return catchUp(feed);
    }

    private static IndexFeed.Mark watermarkOf(IndexWriter w) {
        if (w.getLiveCommitData() == null) return IndexFeed.Mark.ZERO;
        for (Map.Entry<String, String> e : iterable(w.getLiveCommitData())) {
            if (e.getKey().equals(WATERMARK)) return parseMark(e.getValue());
        }
        return IndexFeed.Mark.ZERO;
    }

    /** A stored watermark, "document/extraction/output"; none, or another form, is the start. */
    private static IndexFeed.Mark parseMark(String value) {
        if (value == null) return IndexFeed.Mark.ZERO;
        String[] p = value.split("/");
        return p.length == 3 ? new IndexFeed.Mark(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])) : IndexFeed.Mark.ZERO;
    }

    private static <T> List<T> iterable(Iterable<T> it) {
        List<T> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }

    private IndexWriter writer() throws IOException {
        if (writer == null) {
            IndexWriterConfig config = new IndexWriterConfig(analyzer);
            config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            writer = new IndexWriter(directory, config);
        }
        return writer;
    }

    private static Document document(SearchRecord r, String kind, SearchRecord.Passage p) {
        Document d = new Document();
        d.add(new LongPoint("document_id", r.document().id()));
        d.add(new StoredField("document_id", r.document().id()));
        d.add(new StringField("kind", kind, Field.Store.YES));
        d.add(new StringField("source", r.document().locator(), Field.Store.NO));
        d.add(new TextField("path", r.document().locator(), Field.Store.YES));
        String type = r.document().mediaType() == null ? "" : r.document().mediaType();
        d.add(new TextField("type", type.replace('/', ' ').replace('.', ' ').replace('-', ' ').replace('+', ' '), Field.Store.NO));
        d.add(new StoredField("media_type", type));
        String lang = r.document().language() == null ? "" : r.document().language().toLowerCase(Locale.ROOT);
        d.add(new StringField("lang", lang, Field.Store.YES));
        if (p.task() != null) d.add(new StringField("task", p.task(), Field.Store.YES));
        d.add(new StoredField("seq", "chunk".equals(kind) ? p.seq() : -1));
        d.add(new IntPoint("seq", p.seq()));
        d.add(new StoredField("start", "chunk".equals(kind) ? p.start() : -1));
        d.add(new StoredField("end", "chunk".equals(kind) ? p.end() : -1));
        d.add(new TextField("text", p.text(), Field.Store.YES));
        if (LANGUAGES.containsKey(lang)) d.add(new TextField("text_" + lang, p.text(), Field.Store.NO));
        return d;
    }

    /**
     * Runs a query in Lucene's classic syntax: words (all of them rank, any may match), "a phrase",
     * prefix*, field:value, AND / OR / NOT, -excluded.
     *
     * @throws IllegalArgumentException with the parser's reason when the query is malformed, or over
     *                                  {@link #MAX_QUERY} characters (a 10 MB query took the parser minutes)
     */
    /** Longest query read: far above a search anyone types, far below what makes parsing slow. */
    public static final int MAX_QUERY = 2_000;

    public List<SearchHit> search(String query, int limit) {
        if (query.length() > MAX_QUERY) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the query is %,d characters long; at most %,d",
                    query.length(), MAX_QUERY));
        }
        try {
            if (!DirectoryReader.indexExists(directory)) return List.of();
            List<String> fields = new ArrayList<>(List.of("text", "path"));
            LANGUAGES.keySet().stream().sorted().forEach(l -> fields.add("text_" + l));
            Map<String, Float> boosts = new LinkedHashMap<>();
            boosts.put("text", 1.0f);
            boosts.put("path", 0.5f);
            LANGUAGES.keySet().forEach(l -> boosts.put("text_" + l, 0.8f));
            MultiFieldQueryParser parser = new MultiFieldQueryParser(fields.toArray(String[]::new), analyzer, boosts);
            parser.setDefaultOperator(QueryParser.Operator.OR);
            Query q;
            try {
                q = parser.parse(query);
            } catch (ParseException e) {
                String reason = firstLine(e.getMessage());
                // The parser's message quotes the whole query: say what is wrong, not all of it again.
                throw new IllegalArgumentException("cannot read the query: " + (reason.length() > 300 ? reason.substring(0, 300) + "..." : reason));
            }
            // Lucene matches nothing with only excluded terms ("-heating"); say so instead of "no results".
            if (q instanceof org.apache.lucene.search.BooleanQuery b && !b.clauses().isEmpty()
                    && b.clauses().stream().allMatch(c -> c.getOccur() == org.apache.lucene.search.BooleanClause.Occur.MUST_NOT)) {
                throw new IllegalArgumentException("the query only excludes (" + (query.length() > 80 ? query.substring(0, 80) + "..." : query)
                        + "); add a word to look for, e.g. 'bill -heating'");
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                TopDocs top = searcher.search(q, Math.max(1, limit));
                // One scorer for the highlighter and its fragmenter: the fragmenter reads what the scorer found.
                QueryScorer scorer = new QueryScorer(q, "text");
                Highlighter highlighter = new Highlighter(new SimpleHTMLFormatter(MARK_START, MARK_END), scorer);
                highlighter.setTextFragmenter(new SimpleSpanFragmenter(scorer, 200));
                List<SearchHit> hits = new ArrayList<>();
                for (ScoreDoc sd : top.scoreDocs) {
                    Document d = searcher.storedFields().document(sd.doc);
                    String text = d.get("text");
                    String snippet = highlighter.getBestFragment(analyzer, "text", text);
                    if (snippet == null) snippet = text.length() > 200 ? text.substring(0, 200) + "…" : text;
                    hits.add(new SearchHit(sd.score, d.get("path"), d.get("media_type"), d.get("lang"),
                            d.getField("document_id").numericValue().longValue(), d.get("kind"),
                            d.getField("seq").numericValue().intValue(), d.getField("start").numericValue().intValue(),
                            d.getField("end").numericValue().intValue(), d.get("task"), snippet.replaceAll("\\s+", " ").strip()));
                }
                return hits;
            }
        } catch (IndexSearcher.TooManyClauses e) {
            throw new IllegalArgumentException("the query matches too many words at once (a prefix* or wildcard that is too short?): "
                    + "make it narrower");
        } catch (IOException | InvalidTokenOffsetsException e) {
            throw new UncheckedIOException(new IOException("cannot search " + folder + ": " + e.getMessage(), e));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse(s);
    }

    @Override
    public synchronized void close() {
        try {
            if (writer != null) writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

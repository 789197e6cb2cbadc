package dev.nightshift.connectors.search;

import dev.nightshift.pipeline.core.Passage;
import dev.nightshift.pipeline.answer.Retriever;
import dev.nightshift.pipeline.store.TextQueries;
import org.apache.lucene.queryparser.classic.QueryParser;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Passages for a question from the search index: the question's words (any of them, BM25-ranked, none
 * read as query syntax) over the stored chunks, each resolved to its chunk in the database.
 */
public final class IndexRetriever implements Retriever {
    private final LuceneIndex index;
    private final TextQueries texts;

    public IndexRetriever(LuceneIndex index, TextQueries texts) {
        this.index = index;
        this.texts = texts;
    }

    @Override
    public List<Passage> retrieve(String question, int limit) {
        Set<String> words = new LinkedHashSet<>();
        for (String w : question.split("[^\\p{L}\\p{N}]+")) {
            if (!w.isBlank()) words.add(QueryParser.escape(w.toLowerCase(Locale.ROOT)));
        }
        if (words.isEmpty()) return List.of();
        String query = "+kind:chunk +(" + String.join(" ", words) + ")";
        List<Passage> out = new ArrayList<>();
        for (SearchHit h : index.search(query, limit)) {
            texts.passage(h.documentId(), h.seq(), h.start(), h.end(), h.score()).ifPresent(out::add);
        }
        return out;
    }
}

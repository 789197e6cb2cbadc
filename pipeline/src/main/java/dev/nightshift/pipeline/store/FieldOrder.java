package dev.nightshift.pipeline.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The top-level fields of many documents' objects in one order for a table's columns: an order that keeps
 * every object's own. Each object writes its members in the schema's order but leaves out those it has no
 * value for, so "first met" would put a field the first documents lack after fields that come later in
 * the schema; this puts it where the objects that have it show it. Fields the objects do not order against
 * each other come in the order first met.
 */
public final class FieldOrder {
    private final Map<String, Integer> firstMet = new LinkedHashMap<>();
    /** Field -> the fields some object writes right after it. */
    private final Map<String, Set<String>> next = new HashMap<>();

    /** One object's member names, in its order. */
    public void add(Iterator<String> names) {
        String previous = null;
        while (names.hasNext()) {
            String name = names.next();
            firstMet.putIfAbsent(name, firstMet.size());
            if (previous != null) next.computeIfAbsent(previous, k -> new LinkedHashSet<>()).add(name);
            previous = name;
        }
    }

    /** A top-level value as a table's cell shows it: text as is, empty for none or null, anything else as JSON. */
    public static String cell(com.fasterxml.jackson.databind.JsonNode v) {
        return v == null || v.isNull() ? "" : v.isTextual() ? v.asText() : v.toString();
    }

    /** Every field added, each after all those some object writes before it (a topological order). */
    public List<String> order() {
        Map<String, Integer> before = new HashMap<>();
        for (String f : firstMet.keySet()) before.put(f, 0);
        for (Set<String> after : next.values()) for (String f : after) before.merge(f, 1, Integer::sum);
        PriorityQueue<String> ready = new PriorityQueue<>((a, b) -> Integer.compare(firstMet.get(a), firstMet.get(b)));
        before.forEach((f, n) -> {
            if (n == 0) ready.add(f);
        });
        List<String> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            String f = ready.poll();
            out.add(f);
            for (String g : next.getOrDefault(f, Set.of())) if (before.merge(g, -1, Integer::sum) == 0) ready.add(g);
        }
        // Objects that disagree (results of two versions of a schema under one name): the rest as first met.
        for (String f : firstMet.keySet()) if (!out.contains(f)) out.add(f);
        return out;
    }
}

package dev.nightshift.pipeline.store;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FieldOrderTest {
    private static List<String> order(List<List<String>> objects) {
        FieldOrder order = new FieldOrder();
        for (List<String> o : objects) order.add(o.iterator());
        return order.order();
    }

    @Test
    void aFieldTheFirstObjectsLackComesWhereTheOthersWriteIt() {
        // Schema order: supplier, date, due, total, items; the first invoice has no due date.
        assertThat(order(List.of(List.of("supplier", "date", "total", "items"), List.of("supplier", "due", "total"))))
                .containsExactly("supplier", "date", "due", "total", "items");
    }

    @Test
    void fieldsNoObjectOrdersComeAsFirstMetAndDisagreementsLoseNothing() {
        assertThat(order(List.of(List.of("a", "c"), List.of("b")))).containsExactly("a", "c", "b");
        assertThat(order(List.of(List.of("a", "b"), List.of("b", "a"), List.of("c")))).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(order(List.of())).isEmpty();
    }
}

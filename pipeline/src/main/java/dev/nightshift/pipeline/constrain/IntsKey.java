package dev.nightshift.pipeline.constrain;

import java.util.Arrays;

/** An int array as a map key, compared by its contents (a set of NFA states, a state's signature). */
record IntsKey(int[] values) {
    @Override
    public boolean equals(Object o) {
        return o instanceof IntsKey k && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}

package dev.gantry.core.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects problems so a whole file can be checked in one pass and every error reported. */
public final class Problems {

    private final List<Problem> list = new ArrayList<>();

    public void add(Location location, String path, String message) {
        list.add(new Problem(location, path, message));
    }

    public List<Problem> sorted() {
        List<Problem> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparing((Problem p) -> p.location().line()).thenComparing(p -> p.location().column()));
        return copy;
    }

    /** Throws a {@link PipelineException} carrying everything collected, if anything was. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new PipelineException(sorted());
        }
    }
}

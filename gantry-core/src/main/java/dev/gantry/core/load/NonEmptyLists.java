package dev.gantry.core.load;

import java.util.List;
import java.util.Optional;

/**
 * The lists of paths and keys steps take. An empty one is a mistake, never "nothing to do": a {@code save_cache}
 * of no paths would seal an empty archive under its immutable key, and a {@code test_results} of none would
 * check nothing.
 */
final class NonEmptyLists {

    private NonEmptyLists() {
    }

    /** The items of a list (or a single scalar); empty, with the problem reported, when it names nothing. */
    static Optional<List<String>> of(YNode node, String what) {
        Optional<List<String>> items = node.textList();
        if (items.isPresent() && items.get().isEmpty()) {
            if (node.sequence().map(List::isEmpty).orElse(false)) {
                node.problem("must list at least one " + what);
            }
            return Optional.empty();
        }
        return items;
    }
}

package dev.gantry.core.load;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A key whose value is one of a few words ({@code strategy}, {@code rollback}, {@code pull}), read strictly. */
final class Choices {

    private Choices() {
    }

    /** One of an enum's YAML names, with the nearest as a hint when misspelt. */
    static <E> Optional<E> choice(YNode node, String key, E[] values, Function<E, String> yamlName) {
        List<String> names = Arrays.stream(values).map(yamlName).toList();
        return node.nonBlank().flatMap(t -> {
            Optional<E> e = Arrays.stream(values).filter(v -> yamlName.apply(v).equals(t)).findFirst();
            if (e.isEmpty()) {
                node.problem("unknown " + key + " '" + t + "'" + Suggestions.hint(t, names) + "; use "
                        + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1));
            }
            return e;
        });
    }
}

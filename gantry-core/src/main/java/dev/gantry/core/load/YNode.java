package dev.gantry.core.load;

import dev.gantry.core.pipeline.Durations;
import dev.gantry.core.pipeline.Location;
import dev.gantry.core.pipeline.Problems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML node with its path and file, read strictly: every accessor reports a problem with the node's location
 * and returns empty instead of throwing, so one pass finds every error.
 */
public final class YNode {

    private final Node node;
    private final String path;
    private final String file;
    private final Problems problems;

    YNode(Node node, String path, String file, Problems problems) {
        this.node = node;
        this.path = path;
        this.file = file;
        this.problems = problems;
    }

    public String path() {
        return path;
    }

    public Location location() {
        return locationOf(node);
    }

    Location locationOf(Node n) {
        return n.getStartMark()
                .map(m -> new Location(file, m.getLine() + 1, m.getColumn() + 1))
                .orElse(Location.unknown(file));
    }

    public void problem(String message) {
        problems.add(location(), path, message);
    }

    /** Reports a problem found while reading this node but located elsewhere (a reference, say). */
    public void problemAt(Location at, String atPath, String message) {
        problems.add(at, atPath, message);
    }

    public boolean isNull() {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    public boolean isMapping() {
        return node instanceof MappingNode;
    }

    public boolean isSequence() {
        return node instanceof SequenceNode;
    }

    private String kind() {
        if (isNull()) {
            return "nothing";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }

    private void expected(String what) {
        problem("expected " + what + ", found " + kind());
    }

    /**
     * The entries of a mapping, in file order. Duplicate keys are always errors; keys outside {@code allowed}
     * are errors with the nearest allowed key as a hint ({@code allowed == null} accepts any key).
     */
    public Optional<Map<String, YNode>> mapping(Collection<String> allowed) {
        if (!(node instanceof MappingNode m)) {
            expected("a mapping");
            return Optional.empty();
        }
        Map<String, YNode> entries = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new java.util.HashMap<>();
        for (NodeTuple t : m.getValue()) {
            Node keyNode = t.getKeyNode();
            if (!(keyNode instanceof ScalarNode ks) || ks.getTag().equals(Tag.NULL)) {
                problems.add(locationOf(keyNode), path, "keys must be plain words");
                continue;
            }
            String key = ks.getValue();
            String childPath = path.isEmpty() ? key : path + "." + key;
            if (keyLines.containsKey(key)) {
                problems.add(locationOf(keyNode), childPath, "duplicate key '" + key + "' (first defined at line "
                        + keyLines.get(key) + ")");
                continue;
            }
            keyLines.put(key, locationOf(keyNode).line());
            if (allowed != null && !allowed.contains(key)) {
                problems.add(locationOf(keyNode), childPath, "unknown key '" + key + "'"
                        + Suggestions.hint(key, allowed) + "; valid keys: " + String.join(", ", allowed));
                continue;
            }
            entries.put(key, new YNode(t.getValueNode(), childPath, file, problems));
        }
        return Optional.of(entries);
    }

    /** How many keys the mapping has as written, valid or not. */
    public int writtenKeyCount() {
        return node instanceof MappingNode m ? m.getValue().size() : 0;
    }

    /** The items of a list. */
    public Optional<List<YNode>> sequence() {
        if (!(node instanceof SequenceNode s)) {
            expected("a list");
            return Optional.empty();
        }
        List<YNode> items = new ArrayList<>();
        List<Node> values = s.getValue();
        for (int i = 0; i < values.size(); i++) {
            items.add(new YNode(values.get(i), path + "[" + i + "]", file, problems));
        }
        return Optional.of(items);
    }

    /** Any scalar (string, number or boolean) as text. */
    public Optional<String> text() {
        if (!isScalar()) {
            expected("a value");
            return Optional.empty();
        }
        return Optional.of(((ScalarNode) node).getValue());
    }

    /**
     * A scalar as the JSON value it reads as: a quoted or other string as a {@link String}, a plain number as a
     * {@link Long} (a {@link java.math.BigInteger} past its range) or a {@link Double}, {@code true}/{@code false} as a
     * {@link Boolean}. Infinities and NaN, which JSON cannot write, are a problem. Not for null (see {@link #isNull}).
     */
    public Optional<Object> jsonScalar() {
        if (!isScalar()) {
            expected("a value");
            return Optional.empty();
        }
        ScalarNode s = (ScalarNode) node;
        String t = s.getValue();
        Tag tag = s.getTag();
        if (tag.equals(Tag.BOOL)) {
            return Optional.of(Boolean.valueOf(t.trim().toLowerCase(java.util.Locale.ROOT).equals("true")));
        }
        if (tag.equals(Tag.INT)) {
            try {
                java.math.BigInteger v = new java.math.BigInteger(t.trim().replace("_", "").replaceFirst("^\\+", ""));
                return Optional.of(v.bitLength() < 64 ? (Object) v.longValue() : v);
            } catch (NumberFormatException e) {
                return Optional.of(t);
            }
        }
        if (tag.equals(Tag.FLOAT)) {
            try {
                double d = Double.parseDouble(t.trim().replace("_", ""));
                if (Double.isFinite(d)) {
                    return Optional.of(d);
                }
            } catch (NumberFormatException e) {
                // .inf, .nan and their spellings: not JSON
            }
            problem("'" + t + "' is not a number JSON can write: quote it to send it as text");
            return Optional.empty();
        }
        return Optional.of(t);
    }

    /** A non-blank string. */
    public Optional<String> nonBlank() {
        Optional<String> t = text();
        if (t.isPresent() && t.get().isBlank()) {
            problem("must not be empty");
            return Optional.empty();
        }
        return t;
    }

    public Optional<Integer> integer(int min, int max) {
        Optional<String> t = text();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        try {
            int v = Integer.parseInt(t.get().trim());
            if (v < min || v > max) {
                problem("must be between " + min + " and " + max + ", found " + v);
                return Optional.empty();
            }
            return Optional.of(v);
        } catch (NumberFormatException e) {
            expected("a whole number");
            return Optional.empty();
        }
    }

    public Optional<Boolean> bool() {
        Optional<String> t = text();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        return switch (t.get()) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> {
                expected("true or false");
                yield Optional.empty();
            }
        };
    }

    public Optional<Duration> duration() {
        Optional<String> t = text();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Optional<Duration> d = Durations.parse(t.get());
        if (d.isEmpty() && Durations.isWellFormed(t.get())) {
            problem("duration '" + t.get() + "' is too long: at most " + Durations.MAX_TEXT);
        } else if (d.isEmpty()) {
            problem("bad duration '" + t.get() + "': write a number with a unit, e.g. 500ms, 90s, 20m, 1h30m");
        } else if (d.get().isZero()) {
            problem("duration must be more than zero");
            return Optional.empty();
        }
        return d;
    }

    /** A list of scalars; a single scalar counts as a list of one. */
    public Optional<List<String>> textList() {
        if (isScalar()) {
            return text().map(List::of);
        }
        return sequence().map(items -> items.stream().map(YNode::text).flatMap(Optional::stream).toList());
    }

    /** A mapping of names to scalar values, such as {@code env}. */
    public Optional<Map<String, String>> textMap(java.util.regex.Pattern keyPattern, String keyRule) {
        return mapping(null).map(entries -> {
            Map<String, String> out = new LinkedHashMap<>();
            entries.forEach((k, v) -> {
                if (!keyPattern.matcher(k).matches()) {
                    v.problem("invalid name '" + k + "': " + keyRule);
                } else if (v.isNull()) {
                    out.put(k, "");
                } else {
                    v.text().ifPresent(val -> out.put(k, val));
                }
            });
            return out;
        });
    }
}

package dev.gantry.core.load;

import dev.gantry.core.pipeline.Location;
import dev.gantry.core.pipeline.Problems;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * The one way Gantry reads a YAML file of its own (a pipeline, a batch's {@code --request} file): UTF-8 checked,
 * size and nesting bounded, every syntax error reported with its line and column, and the document returned as a
 * {@link YNode} tree whose accessors report further problems at their places.
 */
final class YamlText {

    /** What the file is, in messages. */
    static final Kind PIPELINE = new Kind(PipelineText.PIPELINE, "a pipeline",
            "the file is empty: a pipeline needs at least 'jobs'");

    private YamlText() {
    }

    /**
     * How messages name the file and its document.
     *
     * @param file     e.g. {@code "a pipeline file"}: "... may be at most 1 MiB"
     * @param document e.g. {@code "a pipeline"}: "... needs far fewer" levels
     * @param empty    the problem reported for a file without a document
     */
    record Kind(String file, String document, String empty) {
    }

    /**
     * The document's root, or empty when the text could not be read (the reason is in {@code problems}).
     *
     * @param kind how messages name the file
     */
    static Optional<YNode> root(String file, byte[] content, Problems problems, Kind kind) {
        Optional<String> text = PipelineText.decode(file, content, problems, kind.file());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<Node> root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file).setAllowDuplicateKeys(true).build();
            Parser parser = new DepthLimitedParser(new ParserImpl(settings, new StreamReader(settings, text.get())),
                    PipelineLoader.MAX_DEPTH);
            root = new Composer(settings, parser).getSingleNode();
        } catch (DepthLimitedParser.TooDeep e) {
            Location at = Optional.ofNullable(e.mark()).map(m -> new Location(file, m.getLine() + 1,
                    m.getColumn() + 1)).orElse(Location.unknown(file));
            problems.add(at, "", "nested more than " + PipelineLoader.MAX_DEPTH + " levels deep: "
                    + kind.document() + " needs far fewer");
            return Optional.empty();
        } catch (MarkedYamlEngineException e) {
            Location at = e.getProblemMark().map(m -> new Location(file, m.getLine() + 1, m.getColumn() + 1))
                    .orElse(Location.unknown(file));
            String context = e.getContext() == null ? "" : " (" + e.getContext()
                    + e.getContextMark().map(m -> " started at line " + (m.getLine() + 1) + ", column "
                    + (m.getColumn() + 1)).orElse("") + ")";
            problems.add(at, "", "invalid YAML: " + e.getProblem() + context);
            return Optional.empty();
        } catch (YamlEngineException e) {
            problems.add(Location.unknown(file), "", "invalid YAML: " + e.getMessage());
            return Optional.empty();
        }
        if (root.isEmpty()) {
            problems.add(new Location(file, 1, 1), "", kind.empty());
            return Optional.empty();
        }
        return Optional.of(new YNode(root.get(), "", file, problems));
    }
}

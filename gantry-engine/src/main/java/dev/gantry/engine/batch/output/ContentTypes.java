package dev.gantry.engine.batch.output;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an answer's content type makes of it: JSON goes into the result line, anything else is a file whose extension
 * the type names. The extensions are a closed list, so that removing a stale output touches only names the batch
 * itself could have written.
 */
public final class ContentTypes {

    private static final Map<String, String> EXTENSIONS = Map.of(
            "audio/wav", "wav", "audio/x-wav", "wav", "audio/wave", "wav", "audio/vnd.wave", "wav",
            "audio/mpeg", "mp3", "audio/flac", "flac", "audio/ogg", "ogg", "image/png", "png",
            "application/octet-stream", "bin", "text/plain", "txt");

    /** Every extension an output file may have. */
    public static final List<String> ALL_EXTENSIONS = List.of("wav", "mp3", "flac", "ogg", "png", "bin", "txt");

    private ContentTypes() {
    }

    /** The media type without parameters, lower case; empty when absent. */
    public static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    public static boolean isJson(String contentType) {
        String t = mediaType(contentType);
        return t.equals("application/json") || t.endsWith("+json");
    }

    /** The output file's extension for a non-JSON answer. */
    public static String extension(String contentType) {
        return EXTENSIONS.getOrDefault(mediaType(contentType), "bin");
    }
}

package dev.gantry.core.batch;

/** A line that cannot fill the request template: a field it names is missing, or is not what its place needs. */
public final class TemplateException extends Exception {

    public TemplateException(String message) {
        super(message);
    }
}

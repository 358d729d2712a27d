package dev.gantry.engine.deploy;

/** A deploy, rollback or stop that cannot go on, with a message for the person who asked for it. */
public class DeployException extends java.io.IOException {

    public DeployException(String message) {
        super(message);
    }
}

package dev.gantry.core.pipeline;

import java.util.function.Function;

/**
 * A reference to a secret by name ({@code {secret: hf-token}}): the value comes from the server's secrets or
 * {@code gantry run --secret} when a step starts, and is masked in everything Gantry shows.
 *
 * @param location where the reference is written, for an unknown secret's error
 * @param path     e.g. {@code jobs.deploy.env.HF_TOKEN}
 */
public record SecretRef(String name, Location location, String path) implements Value {

    @Override
    public String resolve(Function<SecretRef, String> secrets) {
        String value = secrets.apply(this);
        if (value == null) {
            throw new IllegalStateException("secret '" + name + "' (" + path + ") has no value: references are"
                    + " checked before a build starts, so this is a bug");
        }
        return value;
    }

    @Override
    public String describe() {
        return "{secret: " + name + "}";
    }
}

package dev.gantry.engine.notify;

import dev.gantry.core.pipeline.Location;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.NotifyEvent;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.core.pipeline.Value;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code notify} entries and notifications built by hand, as the YAML loader would make them. */
final class Defs {

    static final Location AT = new Location("gantry.yml", 1, 1);

    private Defs() {
    }

    static SecretRef secret(String name, int index) {
        return new SecretRef(name, AT, "notify[" + index + "]");
    }

    static NotifyDef slack(Value url, Set<NotifyEvent> on) {
        return new NotifyDef(NotifyDef.Channel.SLACK, AT, "notify[0].slack", url, null, null, null, List.of(), on);
    }

    static NotifyDef webhook(Value url, Value key, Set<NotifyEvent> on) {
        return new NotifyDef(NotifyDef.Channel.WEBHOOK, AT, "notify[1].webhook", url, key, null, null, List.of(),
                on);
    }

    static NotifyDef email(NotifyDef.Smtp smtp, List<String> to, Set<NotifyEvent> on) {
        return new NotifyDef(NotifyDef.Channel.EMAIL, AT, "notify[2].email", null, null, smtp, "ci@gantry.test", to,
                on);
    }

    static Set<NotifyEvent> all() {
        return Set.of(NotifyEvent.values());
    }

    static Notification rolledBack() {
        return new Notification(NotifyEvent.DEPLOY_ROLLED_BACK, "tts", 12L, "production", 4, "rolled_back",
                "gate failed: audio is silent; release 3 serves production",
                Map.of("build", "https://ci.example/pipelines/tts/builds/12"), Instant.parse("2026-11-30T10:15:30Z"));
    }
}

package dev.gantry.engine.probe;

import dev.gantry.core.pipeline.ProbeDef;

/** Makes the probe a definition asks for. */
public final class Probes {

    private Probes() {
    }

    public static Probe create(ProbeDef def, ProbeTarget target) {
        return switch (def.kind()) {
            case HTTP -> new HttpProbe(def.http(), target);
            case TCP -> new TcpProbe(target.host(), def.tcpPort() == 0 ? target.port() : def.tcpPort());
            case EXEC -> new ExecProbe(def.exec(), target);
            case LOG -> new LogProbe(def.log());
        };
    }
}

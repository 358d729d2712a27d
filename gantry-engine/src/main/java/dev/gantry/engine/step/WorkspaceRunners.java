package dev.gantry.engine.step;

import dev.gantry.core.pipeline.AttachStep;
import dev.gantry.core.pipeline.PersistStep;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.workspace.Workspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code persist} and {@code attach} step runners. */
final class WorkspaceRunners {

    private WorkspaceRunners() {
    }

    static final class Persist implements StepRunner {

        @Override
        public String type() {
            return PersistStep.TYPE;
        }

        @Override
        public Outcome run(StepDef def, StepContext ctx) {
            PersistStep step = (PersistStep) def;
            Path from = ctx.workingDirectory().resolve(step.root()).normalize();
            try {
                if (!Files.isDirectory(from)) {
                    return new Outcome(TaskState.FAILED, 1, "persist root '" + step.root() + "' does not exist");
                }
                int n = ctx.workspaces().persist(ctx.taskName(), from, step.paths());
                if (n == 0) {
                    return new Outcome(TaskState.FAILED, 1, "nothing to persist: no file matched "
                            + String.join(", ", step.paths()));
                }
                ctx.output("persisted " + n + (n == 1 ? " file" : " files") + " for the jobs that need this one");
                return Outcome.SUCCESS;
            } catch (IOException e) {
                return Outcome.errored("cannot persist: " + e.getMessage());
            }
        }
    }

    static final class Attach implements StepRunner {

        @Override
        public String type() {
            return AttachStep.TYPE;
        }

        @Override
        public Outcome run(StepDef def, StepContext ctx) {
            AttachStep step = (AttachStep) def;
            try {
                int n = ctx.workspaces().attach(ctx.taskName(), ctx.workingDirectory().resolve(step.at()).normalize());
                ctx.output("attached " + n + (n == 1 ? " file" : " files") + " at " + step.at());
                return Outcome.SUCCESS;
            } catch (Workspaces.ConflictException e) {
                return new Outcome(TaskState.FAILED, 1, e.getMessage());
            } catch (IOException e) {
                return Outcome.errored("cannot attach the workspace: " + e.getMessage());
            }
        }
    }
}

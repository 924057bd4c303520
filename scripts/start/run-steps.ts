/**
 * Runs the start steps in order: each one whose inputs changed (steps.ts), skipping the rest,
 * and stops at the first that fails, as the `&&` chain of npm's prestart did.
 */
import type { StartStep } from "./steps.ts";

export interface StepReport {
  readonly ran: readonly string[];
  readonly skipped: readonly string[];
}

export class StartStepError extends Error {
  override readonly name = "StartStepError";
}

/**
 * `run` runs one command (a script and its arguments) and returns its exit status; `say`
 * prints one line for the operator.
 */
export function runSteps(
  steps: readonly StartStep[],
  run: (command: readonly string[]) => number,
  say: (line: string) => void,
): StepReport {
  const ran: string[] = [];
  const skipped: string[] = [];
  for (const step of steps) {
    const reason = step.staleBecause();
    if (reason === null) {
      skipped.push(step.name);
      continue;
    }
    say(`npm start: ${step.name}: ${reason}`);
    for (const command of step.commands) {
      const status = run(command);
      if (status !== 0)
        throw new StartStepError(
          `npm start: ${step.name}: ${command.join(" ")} failed (exit status ${status}); the server was not started`,
        );
    }
    step.done();
    ran.push(step.name);
  }
  return { ran, skipped };
}

// SLA picture of a request. First cut: the steps a request lived through, each on the clock of
// whoever owned the next move; working-time targets, due dates and alerts come with the SLA engine.
import type { RequestEventRow, RequestRow } from '../platform/database/schema.ts';
import { STATE_INFO, type RequestState } from '../requests/transitions.ts';
import type { SlaSummary } from '../requests/request.view.ts';

export function createSlaService() {
  return {
    summarize(row: RequestRow, events: RequestEventRow[]): SlaSummary {
      const steps: SlaSummary['steps'] = [];
      for (const [index, event] of events.entries()) {
        if (index > 0 && event.fromState === event.toState) continue;
        const owner = STATE_INFO[event.toState as RequestState].owner;
        const previous = steps.at(-1);
        if (previous && !previous.endedAt) previous.endedAt = event.at;
        if (owner === 'none') continue;
        steps.push({ state: event.toState, clock: owner, startedAt: event.at, endedAt: null, dueAt: null, targetWorkingMinutes: null, elapsedWorkingMinutes: 0, status: owner === 'applicant' ? 'paused' : 'on-track' });
      }
      for (const step of steps) if (step.endedAt) step.status = 'met';
      return { agreementVersion: row.agreementVersion, promisedAt: null, steps };
    },
  };
}

// Types shared by the workflow step functions: what the state machine passes in (ids, never documents).
import type { Stage } from '#kernel/domain/codes.ts';
import type { Wait } from "#lifecycle/domain/segment.ts";

export interface StepInput {
  readonly projectId: string;
  readonly stage: Stage;
  readonly segment: number;
  readonly executionName?: string;
  readonly wait?: Wait;
  readonly taskToken?: string;
  readonly next?: 'advance' | 'continue';
  readonly nextStage?: Stage;
  /** Wake-ups so far in this segment (counted by the state machine). */
  readonly cycles?: number;
  readonly failure?: { readonly Error?: string; readonly Cause?: string };
}

export const newWaitId = (now: Date) => `w${now.getTime().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

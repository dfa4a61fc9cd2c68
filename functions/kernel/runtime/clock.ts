// The process's business clock (see kernel/domain/clock.ts), built once from the environment.
import { clockFromEnv } from '#kernel/domain/clock.ts';

export const clock = clockFromEnv();

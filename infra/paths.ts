// Absolute paths the CDK app reads at synth time, independent of the directory the CLI or vitest runs from.
import { fileURLToPath } from 'node:url';
import { entryOf } from '../functions/catalog.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const LIFECYCLE_ASL = fileURLToPath(new URL('../statemachines/project-lifecycle.asl.json', import.meta.url));
export const EXIT_ASL = fileURLToPath(new URL('../statemachines/project-exit.asl.json', import.meta.url));

/** The entry file of a catalog function (its `entry` under functions/). */
export const functionEntry = (name: string): string => fileURLToPath(new URL(`../${entryOf(name)}`, import.meta.url));

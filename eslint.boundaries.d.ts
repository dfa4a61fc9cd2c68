// The type of eslint.boundaries.js for the TypeScript that imports it (test/unit/boundaries.test.ts).
import type { Linter } from 'eslint';

export declare const boundaries: Linter.Config[];

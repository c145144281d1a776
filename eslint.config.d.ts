/** Types of eslint.config.js, for the test that imports its layer rule (test/infra/layers.test.ts). */
import type { Linter } from 'eslint';

export const layers: Linter.Config;
declare const config: Linter.Config[];
export default config;

import type { Deps } from '../deps.js';

/** Creates the sample sales dataset and report on first start (filled in by the reports work). */
export async function seedSampleContent(_deps: Deps, _adminId: string): Promise<void> {}

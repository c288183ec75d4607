import type { Deps } from '../src/deps.js';

/** Report open over a large dataset, cold and warm (filled in once reports land). */
export async function benchReportOpen(_o: { deps: Deps; url: string; auth: Record<string, string>; bareLatency: number; rows: number }): Promise<void> {}

import { z } from 'zod';

export const faultKinds = ['errcode', 'latency', 'timeout', 'http5xx', 'truncated'] as const;

export const faultSchema = z.strictObject({
  /** WeCom path after /cgi-bin/, e.g. `user/list`, or `*` for every endpoint. */
  endpoint: z.string().min(1).max(100),
  kind: z.enum(faultKinds),
  /** Fire on the Nth matching call counted from now (1 = the next call). */
  nth: z.number().int().min(1).max(1_000_000).default(1),
  /** How many consecutive calls it hits from there. */
  times: z.number().int().min(1).max(1_000_000).default(1),
  /** For kind 'errcode' (e.g. 45009, -1, 42001, 60020). */
  errcode: z.number().int().min(-1).max(999_999).optional(),
  /** Replace the errmsg short text. */
  errmsg: z.string().max(200).optional(),
  /** For 'latency': added delay before the normal answer. */
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  /** For 'http5xx': the status (default 502). */
  status: z.number().int().min(500).max(599).optional(),
});

export type FaultSpec = z.input<typeof faultSchema>;
export type Fault = z.output<typeof faultSchema>;

interface ActiveFault {
  id: number;
  spec: Fault;
  skip: number;
  remaining: number;
}

export class Faults {
  private active: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): number {
    const parsed = faultSchema.parse(spec);
    if (parsed.kind === 'errcode' && parsed.errcode === undefined) {
      throw new Error('an errcode fault needs errcode');
    }
    const id = this.nextId++;
    this.active.push({ id, spec: parsed, skip: parsed.nth - 1, remaining: parsed.times });
    return id;
  }

  clear(): void {
    this.active = [];
  }

  list(): (Fault & { id: number; remaining: number })[] {
    return this.active.map((f) => ({ ...f.spec, id: f.id, remaining: f.remaining }));
  }

  /** Called once per call of `endpoint`; returns the faults that fire on this call. */
  onCall(endpoint: string): Fault[] {
    const fired: Fault[] = [];
    for (const f of this.active) {
      if (f.spec.endpoint !== endpoint && f.spec.endpoint !== '*') {
        continue;
      }
      if (f.skip > 0) {
        f.skip--;
        continue;
      }
      if (f.remaining > 0) {
        f.remaining--;
        fired.push(f.spec);
      }
    }
    this.active = this.active.filter((f) => f.remaining > 0);
    return fired;
  }
}

import type { WecomSyncCounts, WecomSyncProgress } from '@shulan/shared';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { syncServiceFor } from './SyncService.js';

const PHASES: Record<WecomSyncProgress['phase'], string> = {
  starting: '准备 starting',
  departments: '部门 departments',
  members: '成员 members',
  saving: '保存 saving',
  done: '完成 done',
  failed: '失败 failed',
};
const WIDTH = 30;

/** A one-line progress bar on stderr (redrawn in a terminal, one line per phase otherwise). */
function progressPrinter(stream: NodeJS.WriteStream): (p: WecomSyncProgress) => void {
  let lastPhase = '';
  return (p) => {
    const share = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const filled = Math.round(share * WIDTH);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${PHASES[p.phase]} ${p.done}/${p.total}`;
    if (stream.isTTY) stream.write(`\r${line}\x1b[K`);
    else if (p.phase !== lastPhase) stream.write(`${line}\n`);
    lastPhase = p.phase;
  };
}

function formatCounts(c: WecomSyncCounts): string {
  return [
    `departments: +${c.departmentsAdded} ~${c.departmentsChanged} -${c.departmentsRemoved}`,
    `members: seen ${c.membersSeen}, +${c.membersAdded} ~${c.membersChanged}, left ${c.membersLeft}, disabled ${c.membersDisabled}`,
  ].join('\n');
}

/** `shulan wecom sync`: one sync in the foreground. Returns the exit code (1 on failure). */
export async function runSyncCli(deps: Deps): Promise<number> {
  const service = syncServiceFor(deps);
  const print = progressPrinter(process.stderr);
  try {
    const { runId, done } = await service.start('cli');
    const listener = (e: { runId: string; progress: WecomSyncProgress }) => {
      if (e.runId === runId) print(e.progress);
    };
    service.on('progress', listener);
    const outcome = await done;
    service.off('progress', listener);
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (outcome.status === 'failed') {
      console.error(`error: ${outcome.error.zh}\n       ${outcome.error.en}`);
      return 1;
    }
    console.log(formatCounts(outcome.counts));
    return 0;
  } catch (e) {
    if (e instanceof AppError) {
      console.error(`error: ${e.msg.zh}\n       ${e.msg.en}`);
      return 1;
    }
    throw e;
  }
}

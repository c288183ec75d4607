import fs from 'node:fs';

/**
 * End of life of each Node.js major (nodejs.org release schedule). After it a version gets no
 * security fixes: Shulan still starts (the machine may not be ours to upgrade) but says so.
 * Majors below the table are long past theirs; majors above it are newer than this release knows.
 */
const END_OF_LIFE: Record<number, string> = {
  18: '2025-04-30',
  19: '2023-06-01',
  20: '2026-04-30',
  21: '2024-06-01',
  22: '2027-04-30',
  23: '2025-06-01',
  24: '2028-04-30',
  25: '2026-06-01',
  26: '2029-04-30',
};
const OLDEST_LISTED = 18;
/** The runtime README recommends; keep in step with .nvmrc. */
export const RECOMMENDED_NODE_MAJOR = 24;

/** A bilingual warning when `version` (as in process.versions.node) is past its end of life on `today`, else null. */
export function endOfLifeWarning(version: string, today: Date): string | null {
  const major = Number(version.split('.')[0]);
  const eol = END_OF_LIFE[major];
  if (eol === undefined && major >= OLDEST_LISTED) return null;
  if (eol !== undefined && today.toISOString().slice(0, 10) < eol) return null;
  return [
    `警告：Node.js v${version} ${eol ? `已于 ${eol} 停止维护` : '已停止维护'}，不再有安全更新；请升级到 Node.js ${RECOMMENDED_NODE_MAJOR}（见 README 的运行环境）。`,
    `Warning: Node.js v${version} reached its end of life${eol ? ` on ${eol}` : ''} and gets no security fixes; upgrade to Node.js ${RECOMMENDED_NODE_MAJOR} (see Requirements in the README).`,
  ].join('\n');
}

/** Shulan's version, from the server package that carries the `shulan` command. */
export function shulanVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

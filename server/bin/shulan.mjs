#!/usr/bin/env node
// The `shulan` command. Runs the precompiled server (server/dist, `npm run build`) with plain node
// when it is there and not older than its sources; otherwise the TypeScript through tsx, so a clone
// works without a build. Through tsx the server idles ~35 MB higher (tsx's loader thread has its
// own V8 heap), hence the build for production.
import fs from 'node:fs';

const SERVER = new URL('../', import.meta.url);
const DIST = new URL('dist/', SERVER);

/** 'fresh', 'missing', or the first source file (relative to server/) changed since the build. */
function distState() {
  let built;
  let inputs;
  try {
    fs.accessSync(new URL('cli.mjs', DIST));
    // Written by the build after its output, whether or not esbuild rewrote unchanged files.
    built = fs.statSync(new URL('inputs.json', DIST)).mtimeMs;
    inputs = JSON.parse(fs.readFileSync(new URL('inputs.json', DIST), 'utf8'));
  } catch {
    return 'missing';
  }
  for (const rel of inputs) {
    let mtime;
    try {
      mtime = fs.statSync(new URL(rel, SERVER)).mtimeMs;
    } catch {
      return rel; // removed since the build
    }
    if (mtime > built) return rel;
  }
  return 'fresh';
}

const state = distState();
if (state === 'fresh') {
  await import('../dist/cli.mjs');
} else {
  // Said only on start: other commands' output stays as scripts and tests expect it.
  if (process.argv[2] === 'start') {
    console.warn(
      state === 'missing'
        ? '从源代码经 tsx 运行；生产环境请先 npm run build。\nRunning from source through tsx; for production, npm run build first.'
        : `server/dist 早于源代码（${state}），改用 tsx 运行；运行 npm run build 更新。\nserver/dist is older than its sources (${state}): running through tsx; npm run build brings it up to date.`,
    );
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}

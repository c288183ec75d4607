// `npm run build -w @shulan/server`: the server precompiled into server/dist, so production runs
// plain `node` (bin/shulan.mjs picks it up). Through tsx the server idles ~35 MB higher: Node runs
// tsx's module hooks in a loader thread with its own V8 heap. `npm run dev` stays on tsx.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

export const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = path.join(SERVER_DIR, 'dist');

/** Beside the bundle: the project files it was built from (paths relative to server/), for bin/shulan.mjs's staleness check. */
export const INPUTS_FILE = 'inputs.json';
/** Beside the bundle: its own files, so the next build knows which files were the previous build's. */
export const OUTPUTS_FILE = 'outputs.json';

/**
 * npm packages stay external: node loads them from node_modules as it would from source, native
 * ones (better-sqlite3, DuckDB, argon2) included, and a lazy `import('pg')` stays lazy. The
 * workspaces (@shulan/shared, @shulan/miniprogram) ship TypeScript, so they are bundled.
 */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@shulan/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * Modules find files next to them through import.meta.url (web/dist, package.json, the nginx
 * template, the mini program's source). In a bundle that is the bundle's own address, so each
 * module's import.meta.url is rewritten to where its source file is, relative to the bundle: every
 * output file sits directly in outDir, so one relative path per module holds.
 */
function sourceLocations(outDir: string): Plugin {
  return {
    name: 'source-locations',
    setup(b) {
      b.onLoad({ filter: /\.(ts|mjs)$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const text = fs.readFileSync(args.path, 'utf8');
        const loader = args.path.endsWith('.ts') ? 'ts' : 'js';
        if (/import\.meta\.(dirname|filename)\b/.test(text)) {
          return { errors: [{ text: `${path.relative(SERVER_DIR, args.path)}: use import.meta.url (the bundle rewrites only that to the source file's address)` }] };
        }
        if (!text.includes('import.meta.url')) return { contents: text, loader };
        const rel = path.relative(outDir, args.path).split(path.sep).join('/');
        return { contents: text.replace(/\bimport\.meta\.url\b/g, `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader };
      });
    },
  };
}

/**
 * Builds server/src/cli.ts (and the XLSX worker, its own entry) into outDir as ESM for Node 20+.
 * Dynamic imports become their own chunks, so DuckDB, pg and mysql2 still load on first use.
 *
 * The previous build's files stay until the next one: an instance still running it (a rolling
 * restart after an upgrade) loads its lazy chunks by their hashed names on first use.
 */
export async function bundleServer(outDir = DIST_DIR): Promise<{ outDir: string; files: string[]; metafile: Metafile }> {
  const previous = readList(path.join(outDir, OUTPUTS_FILE));
  const result = await build({
    absWorkingDir: SERVER_DIR,
    entryPoints: { cli: 'src/cli.ts', xlsxWorker: 'src/lib/spreadsheet/xlsxWorker.ts' },
    outdir: outDir,
    // .mjs: readXlsx.ts starts `./xlsxWorker.mjs` beside the bundle (see SHULAN_BUNDLE_URL there).
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Every output file knows its own address; readXlsx.ts finds the worker entry from it.
    banner: { js: 'const SHULAN_BUNDLE_URL = import.meta.url;' },
    plugins: [externalPackages, sourceLocations(outDir)],
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => !p.includes('node_modules/'))
    .sort();
  const files = Object.keys(result.metafile.outputs).map((p) => path.resolve(SERVER_DIR, p));
  const names = files.map((f) => path.relative(outDir, f));
  const keep = new Set([...names, ...previous, INPUTS_FILE, OUTPUTS_FILE]);
  for (const name of fs.readdirSync(outDir)) if (!keep.has(name)) fs.rmSync(path.join(outDir, name), { recursive: true, force: true });
  fs.writeFileSync(path.join(outDir, OUTPUTS_FILE), `${JSON.stringify(names.sort(), null, 1)}\n`);
  // Last: its time is the build's for bin/shulan.mjs.
  fs.writeFileSync(path.join(outDir, INPUTS_FILE), `${JSON.stringify(inputs, null, 1)}\n`);
  return { outDir, files, metafile: result.metafile };
}

function readList(file: string): string[] {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as string[];
  } catch {
    return [];
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const t0 = performance.now();
  const { files } = await bundleServer();
  console.log(`server/dist: ${files.length} files in ${Math.round(performance.now() - t0)} ms`);
}

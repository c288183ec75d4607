import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

/** The mini program's source, next to this folder. */
export const SOURCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');

/** The shared workspace: the few files of it the mini program uses at run time are compiled into the package. */
const SHARED_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/src');

/** Our own limit for the main package (WeChat's hard limit is 2 MB). */
export const MAX_PACKAGE_BYTES = 1024 * 1024;

/** File types WeChat accepts in a code package that we ship (TypeScript is compiled, not copied). */
const COPIED = new Set(['.wxml', '.wxss', '.json', '.wxs', '.png', '.jpg', '.jpeg', '.gif', '.svg']);

export class BuildError extends Error {
  override name = 'BuildError';
}

export interface BuildOptions {
  appid: string;
  /** https address baked in; the domain page is then skipped. */
  domain?: string;
  outDir: string;
  /** Override the size limit (tests). */
  maxBytes?: number;
  /** Override the source folder (tests). */
  sourceDir?: string;
}

export interface BuildResult {
  /** Paths relative to outDir, sorted. */
  files: string[];
  bytes: number;
}

export function validateAppId(appid: string): void {
  if (!/^wx[0-9a-f]{16}$/.test(appid)) {
    throw new BuildError(`AppID "${appid}" 无效：应为 wx 加 16 位十六进制字符（小程序后台 → 开发 → 开发设置）/ invalid AppID: "wx" followed by 16 hex digits`);
  }
}

/** https://host[:port] with no path; WeChat only allows https request domains. */
export function normalizeDomain(domain: string): string {
  const s = domain.trim().replace(/\/+$/, '');
  if (!/^https:\/\//i.test(s)) throw new BuildError(`域名 "${domain}" 必须以 https:// 开头（微信小程序只允许 https）/ the domain must start with https:// (WeChat allows https only)`);
  const m = /^https:\/\/([a-z0-9.-]+\.[a-z0-9-]+)(:\d{1,5})?$/i.exec(s);
  if (!m) throw new BuildError(`域名 "${domain}" 格式不正确，例如 https://bi.example.com / invalid domain, e.g. https://bi.example.com`);
  return `https://${m[1]!.toLowerCase()}${m[2] ?? ''}`;
}

function walk(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(full, base));
    else out.push(path.relative(base, full));
  }
  return out;
}

/**
 * WeChat resolves only relative requires inside the package (no node_modules unless built with
 * its npm tool). A runtime import of `@shulan/shared/<name>` is compiled once into
 * `shared/<name>.js` and the require rewritten to it; any other bare module fails the build here
 * rather than on a phone.
 */
async function vendorShared(js: string, rel: string, write: (rel: string, content: string) => void, done: Set<string>): Promise<string> {
  const vendored = new Set<string>();
  const rewritten = js.replace(/require\("([^"]+)"\)/g, (whole, spec: string) => {
    if (spec.startsWith('.')) return whole;
    const m = /^@shulan\/shared\/([A-Za-z0-9_-]+)$/.exec(spec);
    if (!m) throw new BuildError(`${rel} requires "${spec}" at run time; the mini program can only use relative modules (or @shulan/shared/<file> without dependencies)`);
    vendored.add(m[1]!);
    const up = path.posix.relative(path.posix.dirname(rel.split(path.sep).join('/')), `shared/${m[1]}.js`);
    return `require(${JSON.stringify(up.startsWith('.') ? up : `./${up}`)})`;
  });
  for (const name of vendored) {
    if (done.has(name)) continue;
    done.add(name);
    const code = fs.readFileSync(path.join(SHARED_SRC, `${name}.ts`), 'utf8');
    const out = await transform(code, { loader: 'ts', format: 'cjs', target: 'es2018', sourcefile: `shared/${name}.ts` });
    if (/require\("[^.]/.test(out.code)) throw new BuildError(`shared/${name}.ts has runtime imports; the mini program cannot use it`);
    write(path.join('shared', `${name}.js`), out.code);
  }
  return rewritten;
}

/** Writes a ready-to-import code package for one customer into outDir (created or emptied first). */
export async function buildMiniprogram(opts: BuildOptions): Promise<BuildResult> {
  validateAppId(opts.appid);
  const domain = opts.domain ? normalizeDomain(opts.domain) : '';
  const src = opts.sourceDir ?? SOURCE_DIR;
  const root = path.resolve(opts.outDir);
  const pkgDir = path.join(root, 'miniprogram');
  fs.rmSync(pkgDir, { recursive: true, force: true });
  fs.mkdirSync(pkgDir, { recursive: true });

  const written: string[] = [];
  const write = (rel: string, content: string | Buffer) => {
    const target = path.join(pkgDir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    written.push(path.posix.join('miniprogram', rel.split(path.sep).join('/')));
  };

  const vendoredShared = new Set<string>();
  for (const rel of walk(src)) {
    const ext = path.extname(rel).toLowerCase();
    if (rel.endsWith('.d.ts') || rel.endsWith('.test.ts')) continue;
    if (ext === '.ts') {
      const code = fs.readFileSync(path.join(src, rel), 'utf8');
      // Per-file transform to CommonJS (WeChat's module system); type-only imports disappear.
      const out = await transform(code, { loader: 'ts', format: 'cjs', target: 'es2018', sourcefile: rel });
      let js = await vendorShared(out.code, rel, write, vendoredShared);
      if (rel === 'config.ts' && domain) js = js.replace(/BAKED_DOMAIN = ""/, `BAKED_DOMAIN = ${JSON.stringify(domain)}`);
      write(rel.replace(/\.ts$/, '.js'), js);
    } else if (COPIED.has(ext)) {
      write(rel, fs.readFileSync(path.join(src, rel)));
    }
  }
  if (domain && !fs.readFileSync(path.join(pkgDir, 'config.js'), 'utf8').includes(JSON.stringify(domain))) {
    throw new BuildError('could not bake the domain into config.js');
  }

  const project = {
    description: '数览 Shulan mini program',
    appid: opts.appid,
    projectname: 'shulan-miniprogram',
    miniprogramRoot: 'miniprogram/',
    compileType: 'miniprogram',
    libVersion: '3.0.0',
    setting: { es6: true, enhance: true, postcss: true, minified: true, urlCheck: true },
  };
  fs.writeFileSync(path.join(root, 'project.config.json'), `${JSON.stringify(project, null, 2)}\n`);
  written.push('project.config.json');

  // Every page listed in app.json must exist, or WeChat DevTools refuses the package.
  const appJson = JSON.parse(fs.readFileSync(path.join(pkgDir, 'app.json'), 'utf8')) as { pages: string[] };
  for (const page of appJson.pages) {
    for (const ext of ['.js', '.wxml', '.json']) {
      if (!fs.existsSync(path.join(pkgDir, page + ext))) throw new BuildError(`app.json lists page ${page} but ${page}${ext} is missing`);
    }
  }

  const bytes = written.reduce((n, rel) => n + fs.statSync(path.join(root, rel)).size, 0);
  const max = opts.maxBytes ?? MAX_PACKAGE_BYTES;
  if (bytes > max) {
    throw new BuildError(`代码包 ${(bytes / 1024).toFixed(1)} KB 超过上限 ${(max / 1024).toFixed(0)} KB / the package is ${(bytes / 1024).toFixed(1)} KB, above the ${(max / 1024).toFixed(0)} KB limit`);
  }
  return { files: written.sort(), bytes };
}

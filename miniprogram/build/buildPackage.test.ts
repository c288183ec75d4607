// @vitest-environment node
// (esbuild refuses jsdom's TextEncoder, so the build runs in the node environment.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMiniprogram, SOURCE_DIR } from './buildPackage.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-build-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const ALLOWED = /\.(js|json|wxml|wxss|wxs|png|jpe?g|gif|svg)$/;

describe('buildMiniprogram', () => {
  it('writes an importable package: the AppID in project.config.json, compiled JS, every page of app.json', async () => {
    const out = tmp();
    const res = await buildMiniprogram({ appid: 'wx0123456789abcdef', outDir: out });
    const project = JSON.parse(fs.readFileSync(path.join(out, 'project.config.json'), 'utf8'));
    expect(project).toMatchObject({ appid: 'wx0123456789abcdef', miniprogramRoot: 'miniprogram/', compileType: 'miniprogram', setting: { es6: true } });
    const app = JSON.parse(fs.readFileSync(path.join(out, 'miniprogram/app.json'), 'utf8'));
    expect(app.pages.length).toBeGreaterThanOrEqual(5);
    for (const page of app.pages) {
      for (const ext of ['.js', '.wxml', '.wxss', '.json']) expect(fs.existsSync(path.join(out, 'miniprogram', page + ext)), page + ext).toBe(true);
    }
    // Only file types WeChat accepts; no TypeScript left, no import/export syntax in the JS.
    for (const f of res.files.filter((f: string) => f !== 'project.config.json')) expect(f).toMatch(ALLOWED);
    const appJs = fs.readFileSync(path.join(out, 'miniprogram/pages/login/index.js'), 'utf8');
    expect(appJs).toContain('require("../../services/auth")');
    expect(appJs).not.toMatch(/^import |^export /m);
    // Our budget (issue 9): well under WeChat's 2 MB main-package limit, so a phone on 4G opens it fast.
    expect(res.bytes).toBeLessThan(200 * 1024);
    // Without --domain the domain page asks the user.
    expect(fs.readFileSync(path.join(out, 'miniprogram/config.js'), 'utf8')).toContain('BAKED_DOMAIN = ""');
  });

  it('bakes in an https domain, normalised', async () => {
    const out = tmp();
    await buildMiniprogram({ appid: 'wx0123456789abcdef', domain: 'https://BI.Example.com/', outDir: out });
    expect(fs.readFileSync(path.join(out, 'miniprogram/config.js'), 'utf8')).toContain('BAKED_DOMAIN = "https://bi.example.com"');
  });

  it('refuses a bad AppID and a non-https domain with a clear message, writing nothing', async () => {
    const out = tmp();
    await expect(buildMiniprogram({ appid: 'wx123', outDir: out })).rejects.toThrow(/AppID/);
    await expect(buildMiniprogram({ appid: 'WX0123456789ABCDEF', outDir: out })).rejects.toThrow(/AppID/);
    await expect(buildMiniprogram({ appid: 'wx0123456789abcdef', domain: 'http://bi.example.com', outDir: out })).rejects.toThrow(/https/);
    await expect(buildMiniprogram({ appid: 'wx0123456789abcdef', domain: 'https://', outDir: out })).rejects.toThrow(/domain/);
    expect(fs.existsSync(path.join(out, 'project.config.json'))).toBe(false);
  });

  it('fails above the size limit and names the size', async () => {
    await expect(buildMiniprogram({ appid: 'wx0123456789abcdef', outDir: tmp(), maxBytes: 10 * 1024 })).rejects.toThrow(/KB.*limit/);
  });

  it('refuses a package whose app.json lists a missing page', async () => {
    const src = tmp();
    fs.cpSync(SOURCE_DIR, src, { recursive: true });
    const appJson = path.join(src, 'app.json');
    const app = JSON.parse(fs.readFileSync(appJson, 'utf8'));
    app.pages.push('pages/missing/index');
    fs.writeFileSync(appJson, JSON.stringify(app));
    await expect(buildMiniprogram({ appid: 'wx0123456789abcdef', outDir: tmp(), sourceDir: src })).rejects.toThrow(/pages\/missing\/index/);
  });

  it('every require in the package resolves to a file inside it (WeChat has no node_modules)', async () => {
    const out = tmp();
    const res = await buildMiniprogram({ appid: 'wx0123456789abcdef', outDir: out });
    const root = path.join(out, 'miniprogram');
    for (const f of res.files.filter((f: string) => f.endsWith('.js'))) {
      const js = fs.readFileSync(path.join(out, f), 'utf8');
      for (const [, spec] of js.matchAll(/require\("([^"]+)"\)/g)) {
        expect(spec, `${f} requires ${spec}`).toMatch(/^\./);
        const target = path.resolve(path.dirname(path.join(out, f)), spec!);
        expect(target.startsWith(root), `${f} → ${spec} leaves the package`).toBe(true);
        expect(fs.existsSync(`${target}.js`) || fs.existsSync(target), `${f} → ${spec} is missing`).toBe(true);
      }
    }
    // The report link shared with the server is compiled into the package once.
    expect(res.files).toContain('miniprogram/shared/reportLink.js');
  });

  it('refuses a source file that needs a module from node_modules at run time', async () => {
    const src = tmp();
    fs.cpSync(SOURCE_DIR, src, { recursive: true });
    fs.writeFileSync(path.join(src, 'utils/extra.ts'), "import { z } from 'zod';\nexport const s = z.string();\n");
    await expect(buildMiniprogram({ appid: 'wx0123456789abcdef', outDir: tmp(), sourceDir: src })).rejects.toThrow(/utils\/extra.ts requires "zod"/);
  });
});

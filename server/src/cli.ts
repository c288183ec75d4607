import fs from 'node:fs';
import readline from 'node:readline/promises';
import type { ReviewerCredentials } from '@shulan/shared';
import { Command } from 'commander';
import { buildApp } from './app.js';
import { hashPassword } from './auth/passwords.js';
import { bootstrap } from './bootstrap.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { migrate } from './db/createDb.js';
import { createDeps, type Deps } from './deps.js';
import { doctorHelp, parseDoctorOptions, runDoctorCli, type DoctorCliOptions } from './doctor/doctorCli.js';
import { AppError } from './errors.js';
import { endOfLifeWarning, shulanVersion } from './lib/nodeRuntime.js';
import { NginxConfigError, generateNginxConfig } from './publicGate/nginxConfig.js';
import { createReviewer, removeReviewer, resetReviewerPassword, reviewerStatus } from './reviewer/reviewerService.js';
import { findUserByUsername, insertUser } from './users/userRepo.js';
import { runUserImport } from './users/importCli.js';
import { resetPassword } from './users/passwordChange.js';
import { startScheduler } from './wecom/sync/scheduleSync.js';
import { registerInstance } from './cluster/instances.js';
import { releaseOwnLease } from './wecom/sync/syncLease.js';
import { startSubscriptionScheduler } from './wecom/subscriptions/runner.js';
import { runSyncCli } from './wecom/sync/syncCli.js';
import { readWecomSettings } from './wecom/wecomSettings.js';

const program = new Command('shulan').description('数览 Shulan BI report server').version(shulanVersion(), '-v, --version', 'print the version');

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}

async function withDeps<T>(fn: (deps: Deps) => Promise<T>): Promise<T> {
  const deps = createDeps(configOrExit());
  try {
    await migrate(deps.db);
    return await fn(deps);
  } finally {
    await deps.close();
  }
}

program
  .command('start')
  .description('migrate the database and serve the web app and API')
  .action(async () => {
    const config = configOrExit();
    // First, so it is seen even when the start fails: an unsupported runtime is a likely cause.
    const eolWarning = endOfLifeWarning(process.versions.node, new Date());
    if (eolWarning) console.warn(`\n${eolWarning}\n`);
    const deps = createDeps(config);
    await migrate(deps.db);
    if (deps.cluster.redis && !(await deps.cluster.redis.ready())) {
      console.warn('  Redis (SHULAN_REDIS_URL) does not answer yet: starting with per-instance limits until it does.');
    }
    const boot = await bootstrap(deps);
    const app = await buildApp(deps);
    app.log.info({ version: shulanVersion(), node: process.version }, 'starting Shulan');
    await app.listen({ port: config.port, host: config.host });
    if (boot.generatedAdminPassword) {
      // Printed once on purpose: it is the only way to learn it; it is never logged elsewhere.
      console.log(`\n  First start: log in as "admin" with password: ${boot.generatedAdminPassword}\n  (change it after logging in: user menu → 修改密码 / Change password)\n`);
    }
    console.log(`  Shulan 数览 ${shulanVersion()} is running at http://localhost:${config.port} on Node.js ${process.version}\n`);
    if (config.publicListen) {
      const { address, port } = await app.listenPublic(config.publicListen);
      console.log(`  Mini program only (public gate): ${address}:${port}\n`);
    }
    // WeCom address-book sync, daily at 02:00 Asia/Shanghai unless configured otherwise.
    const scheduler = await startScheduler(deps, (line) => app.log.info(line));
    // Report cards (订阅推送): due subscriptions are checked every minute.
    const cards = await startSubscriptionScheduler(deps, (line) => app.log.info(line));
    // Listed for doctor (instances and versions) until it stops.
    const unregister = await registerInstance(deps.db);
    const stop = async () => {
      scheduler.stop();
      cards.stop();
      await unregister().catch(() => undefined);
      // A sync cut short here is closed as interrupted by the next one, which need not wait.
      await releaseOwnLease(deps.db).catch(() => undefined);
      await releaseOwnLease(deps.db, 'subscriptions').catch(() => undefined);
      await app.close();
      await deps.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(() =>
    withDeps(async (deps) => {
      const applied = await migrate(deps.db);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    }),
  );

const admin = program.command('admin').description('manage administrator accounts');
admin
  .command('create <username>')
  .description('create an admin; the password comes from --password or is generated and printed')
  .option('--password <password>', 'password (at least 8 characters)')
  .option('--name <displayName>', 'display name', '管理员')
  .action((username: string, opts: { password?: string; name: string }) =>
    withDeps(async (deps) => {
      if (await findUserByUsername(deps.db, username)) fail(`user "${username}" already exists`);
      const password = opts.password ?? generatePassword();
      if (password.length < 8) fail('the password must be at least 8 characters');
      await insertUser(deps.db, { username, displayName: opts.name, role: 'admin', passwordHash: await hashPassword(password) });
      console.log(`admin "${username}" created${opts.password ? '' : `; password: ${password}`}`);
    }),
  );
admin
  .command('reset-password <username>')
  .description("set a user's password (generated and printed unless --password), end their sessions, remove a WeCom binding made at first login and lift their login lock")
  .option('--password <password>', 'new password (at least 8 characters)')
  .action((username: string, opts: { password?: string }) =>
    withDeps(async (deps) => {
      const user = await findUserByUsername(deps.db, username);
      if (!user) fail(`no user "${username}"`);
      const password = opts.password ?? generatePassword();
      if (password.length < 8) fail('the password must be at least 8 characters');
      await resetPassword(deps, user!, password, { actorId: null, via: 'cli' });
      console.log(`password of "${username}" reset${opts.password ? '' : `; new password: ${password}`}`);
    }),
  );

const userCmd = program.command('user').description('manage users');
userCmd
  .command('import <file>')
  .description('create or update users from a CSV or XLSX file; initial passwords go to <file>.passwords.csv (mode 600). Exit code: 0 ok, 1 file refused, 2 some rows had errors')
  .option('--dry-run', 'check the file and report, write nothing')
  .action((file: string, opts: { dryRun?: boolean }) =>
    withDeps(async (deps) => {
      process.exitCode = await runUserImport(deps, file, opts.dryRun === true);
    }),
  );

const wecomCmd = program.command('wecom').description('WeCom (企业微信) integration');
wecomCmd
  .command('sync')
  .description('sync the WeCom address book now, with a progress bar on stderr; exit code 1 on failure')
  .action(() =>
    withDeps(async (deps) => {
      process.exitCode = await runSyncCli(deps);
    }),
  );

const miniprogramCmd = program.command('miniprogram').description('the WeChat / WeCom mini program code package');
miniprogramCmd
  .command('build')
  .description('write a ready-to-import code package (project.config.json with your AppID); fails above 1 MB')
  .requiredOption('--appid <appid>', 'the mini program AppID (wx + 16 hex digits)')
  .option('--domain <url>', 'bake in the https address of this server (skips the domain page)')
  .requiredOption('--out <dir>', 'output folder')
  .action(async (opts: { appid: string; domain?: string; out: string }) => {
    // Loaded on demand: the server start does not need esbuild.
    const { buildMiniprogram, BuildError } = await import('@shulan/miniprogram/build');
    try {
      const { files, bytes } = await buildMiniprogram({ appid: opts.appid, outDir: opts.out, ...(opts.domain ? { domain: opts.domain } : {}) });
      console.log(`wrote ${files.length} files to ${opts.out}, main package ${(bytes / 1024).toFixed(1)} KB (limit 1024 KB)`);
      console.log('import this folder in WeChat DevTools, then upload.');
    } catch (err) {
      if (err instanceof BuildError) fail(err.message);
      throw err;
    }
  });

const deployCmd = program.command('deploy').description('put Shulan on the internet for the mini program');
deployCmd
  .command('nginx')
  .description('write the nginx configuration of the public domain: TLS on 443, only the mini program (by its Referer) and the verification files get through')
  .requiredOption('--domain <name>', 'the public domain, e.g. bi.example.com')
  .option('--appid <appid>', 'the mini program AppID (default: the one saved under 企业微信集成设置)')
  .requiredOption('--cert <file>', 'certificate with its full chain (e.g. /etc/letsencrypt/live/<domain>/fullchain.pem)')
  .requiredOption('--key <file>', 'its private key')
  .option('--upstream <host:port>', 'where Shulan listens (default 127.0.0.1:$SHULAN_PORT); several instances comma-separated, taken in turn')
  .option('--intranet-listen <address>', 'also serve the web UI and full API on this intranet address, e.g. 10.0.0.5:80')
  .option('--listen <address>', 'nginx listen of the TLS server', '443')
  .option('--http-listen <address>', 'nginx listen of the redirect-only HTTP server', '80')
  .option('--no-http-redirect', 'leave out the port-80 server (keep 80 closed)')
  .option('--out <file>', 'write to this file instead of standard output')
  .action(
    async (opts: {
      domain: string;
      appid?: string;
      cert: string;
      key: string;
      upstream?: string;
      intranetListen?: string;
      listen: string;
      httpListen: string;
      httpRedirect: boolean;
      out?: string;
    }) => {
      const config = configOrExit();
      const appId = opts.appid ?? (await withDeps(async (deps) => (await readWecomSettings(deps.db)).appId));
      if (!appId) fail('no AppID: pass --appid, or save it under 系统设置 → 企业微信集成设置 first');
      let text: string;
      try {
        text = generateNginxConfig({
          domain: opts.domain,
          appId: appId!,
          cert: opts.cert,
          key: opts.key,
          upstream: opts.upstream ?? `127.0.0.1:${config.port}`,
          httpsListen: opts.listen,
          httpListen: opts.httpListen,
          httpRedirect: opts.httpRedirect,
          intranetListen: opts.intranetListen ?? null,
        });
      } catch (err) {
        if (err instanceof NginxConfigError) fail(err.message);
        throw err;
      }
      if (!opts.out) {
        process.stdout.write(text);
        return;
      }
      fs.writeFileSync(opts.out, text);
      console.error(`wrote ${opts.out}. Next: nginx -t && systemctl reload nginx, and start Shulan with SHULAN_TRUSTED_PROXIES=loopback (see docs/deploy.md).`);
    },
  );

program
  .command('doctor')
  .description('check a deployment from outside (DNS, certificate, TLS, ports, the mini-program gate) and inside (WeCom, the 02:00 sync, the reviewer account); exit code 1 on any ✗')
  .requiredOption('--url <url>', 'the public https address of the mini program, e.g. https://bi.example.com')
  .option('--ca <file>', 'also trust this CA certificate (PEM), e.g. a private or test CA')
  .option('--released', 'the mini program is released: expect the reviewer account removed (default: as 微信审核测试账号 says)')
  .option('--resolve <ip>', 'connect to this address instead of asking DNS (check a server before its DNS record points at it)')
  .option('--http-port <port>', 'the plain-HTTP port that must redirect to https or be closed', '80')
  .option('--closed-ports <list>', 'ports that must not answer, comma-separated (default 8080,8443,3306,5432 and SHULAN_PORT)')
  .option('--json', 'print the result as JSON')
  .addHelpText('after', doctorHelp())
  .action((opts: DoctorCliOptions) => {
    const parsed = parseDoctorOptions(opts);
    if (typeof parsed === 'string') fail(parsed);
    return withDeps(async (deps) => {
      process.exitCode = await runDoctorCli(deps, parsed, opts.json === true);
    });
  });

const reviewerCmd = program.command('reviewer').description("WeChat's review: the test account for the submission form (least privilege, one simple report)");
reviewerCmd
  .command('create')
  .description('create a viewer account that sees one sample report (a bar chart and a table) and print its username and password once')
  .action(() =>
    withDeps(async (deps) => {
      const { account } = await reviewerStatus(deps);
      if (account) {
        console.error(`微信审核测试账号已存在 / A reviewer account exists already: ${account.username} (${account.createdAt.slice(0, 10)})`);
        // Offered, not done: a new password stops whatever the old one is pasted into.
        if (!(await confirm('重置它的密码？/ Reset its password? [y/N] '))) {
          console.error('新密码 / new password: shulan reviewer reset-password;  发布后删除 / after release: shulan reviewer remove');
          process.exitCode = 1;
          return;
        }
        printCredentials(await resetReviewerPassword(deps, { actorId: null, via: 'cli' }), 'reset');
        return;
      }
      printCredentials(await createReviewer(deps, { actorId: null, via: 'cli' }), 'created');
    }).catch(failOnAppError),
  );
reviewerCmd
  .command('reset-password')
  .description('give the reviewer account a new password (printed once) and end its sessions')
  .action(() => withDeps(async (deps) => printCredentials(await resetReviewerPassword(deps, { actorId: null, via: 'cli' }), 'reset')).catch(failOnAppError));
reviewerCmd
  .command('remove')
  .description('after release: delete the reviewer account, its sessions, its report and its dataset')
  .action(() =>
    withDeps(async (deps) => {
      const removed = await removeReviewer(deps, { actorId: null, via: 'cli' });
      console.log(`已删除微信审核测试账号 ${removed.username}、它的报表和数据集（结束 ${removed.sessionsEnded} 个会话）`);
      console.log(`Removed the reviewer account ${removed.username}, its report and its dataset (${removed.sessionsEnded} sessions ended)`);
    }).catch(failOnAppError),
  );

function printCredentials(c: ReviewerCredentials, what: 'created' | 'reset'): void {
  console.log(what === 'created' ? '微信审核测试账号已创建 / Reviewer account created' : '微信审核测试账号的密码已重置 / Reviewer account password reset');
  console.log(`
  测试账号 / Test account:   ${c.username}
  测试密码 / Test password:  ${c.password}
  只能查看报表 / Sees only:   ${c.reportName}

把账号和密码粘贴到 微信公众平台 → 管理 → 版本管理 → 提交审核 的测试账号和密码栏。密码只显示这一次。
Paste both into the test account fields of mp.weixin.qq.com → 管理 → 版本管理 → 提交审核. The password is shown only this once.
审核员在微信中打开小程序，用“账号登录”登录。发布后删除：shulan reviewer remove
Reviewers open the mini program in WeChat and use the account login. After release: shulan reviewer remove
`);
}

/** Asks on a terminal; anything but y/yes (or no terminal at all) is no. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** A refusal the API would answer with a 4xx: its message in both languages, exit code 1. */
function failOnAppError(err: unknown): never {
  if (err instanceof AppError) fail(`${err.msg.zh}\n       ${err.msg.en}`);
  throw err;
}

function generatePassword(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('base64url');
}

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

await program.parseAsync(process.argv);

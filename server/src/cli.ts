import { Command } from 'commander';
import { buildApp } from './app.js';
import { hashPassword } from './auth/passwords.js';
import { bootstrap } from './bootstrap.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { migrate } from './db/createDb.js';
import { createDeps, type Deps } from './deps.js';
import { findUserByUsername, insertUser } from './users/userRepo.js';
import { runUserImport } from './users/importCli.js';

const program = new Command('shulan').description('数览 Shulan BI report server');

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
    const deps = createDeps(config);
    await migrate(deps.db);
    const boot = await bootstrap(deps);
    const app = await buildApp(deps);
    await app.listen({ port: config.port, host: config.host });
    if (boot.generatedAdminPassword) {
      // Printed once on purpose: it is the only way to learn it; it is never logged elsewhere.
      console.log(`\n  First start: log in as "admin" with password: ${boot.generatedAdminPassword}\n  (change it after logging in: user menu → 修改密码 / Change password)\n`);
    }
    console.log(`  Shulan 数览 is running at http://localhost:${config.port}\n`);
    const stop = async () => {
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
  .description("set a user's password (generated and printed unless --password) and end their sessions")
  .option('--password <password>', 'new password (at least 8 characters)')
  .action((username: string, opts: { password?: string }) =>
    withDeps(async (deps) => {
      const user = await findUserByUsername(deps.db, username);
      if (!user) fail(`no user "${username}"`);
      const password = opts.password ?? generatePassword();
      if (password.length < 8) fail('the password must be at least 8 characters');
      await deps.db
        .updateTable('users')
        .set({ password_hash: await hashPassword(password), updated_at: new Date().toISOString() })
        .where('id', '=', user!.id)
        .execute();
      await deps.sessions.closeAllForUser(user!.id);
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

function generatePassword(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('base64url');
}

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

await program.parseAsync(process.argv);

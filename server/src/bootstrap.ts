import { randomBytes } from 'node:crypto';
import type { Deps } from './deps.js';
import { hashPassword } from './auth/passwords.js';
import { insertUser } from './users/userRepo.js';
import { seedSampleContent } from './sample/seedSampleContent.js';

export interface BootstrapResult {
  /** Set when the first admin was just created with a generated password (print it once). */
  generatedAdminPassword: string | null;
  createdAdmin: boolean;
}

/** First start on an empty database: create the admin and, unless disabled, the sample content. */
export async function bootstrap(deps: Deps): Promise<BootstrapResult> {
  const { db, config } = deps;
  const anyUser = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (anyUser) return { generatedAdminPassword: null, createdAdmin: false };
  const generated = config.adminPassword ? null : randomBytes(12).toString('base64url');
  const adminId = await insertUser(db, {
    username: 'admin',
    displayName: '管理员',
    role: 'admin',
    passwordHash: await hashPassword(config.adminPassword ?? generated!),
  });
  if (config.sampleContent) await seedSampleContent(deps, adminId);
  return { generatedAdminPassword: generated, createdAdmin: true };
}

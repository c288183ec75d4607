import { z } from 'zod';
import type { Role, UserStatus } from '../types.js';

export const LoginBodySchema = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  /** `cookie` for the web app, `token` for API clients such as the mini program. */
  mode: z.enum(['cookie', 'token']).default('cookie'),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  status: UserStatus;
}

export interface LoginResult {
  user: SessionUser;
  /** Only present for `mode: 'token'`; the web app gets an HttpOnly cookie instead. */
  token?: string;
  expiresAt: string;
  /**
   * Only for the WeChat reviewer account (reviewer/): the one report it may see, so the mini
   * program opens it straight after login. Absent for everyone else.
   */
  startReportId?: string;
}

export const ChangePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(8).max(256),
});

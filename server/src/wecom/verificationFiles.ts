import {
  VERIFICATION_FILE_MAX_BYTES,
  VerificationFileNameSchema,
  VerificationFileParamsSchema,
  type VerificationFileView,
} from '@shulan/shared';
import type { FastifyInstance } from 'fastify';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { AppError, NotFoundError, ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { nowIso } from '../lib/ids.js';

/**
 * Domain verification files (WeChat business domain, WeCom trusted domain: e.g.
 * WW_verify_xxx.txt). Admins upload them here; they are served verbatim at /<name>.txt.
 */
export function verificationFileRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;
  return [
    route({
      method: 'POST',
      url: '/api/settings/wecom/verification-files',
      access: 'admin',
      tag: 'wecom',
      summary: 'Upload a domain verification .txt file (≤ 64 KB), served at /<name>.txt; same name replaces',
      multipart: true,
      async handler({ req, user }): Promise<VerificationFileView> {
        if (!req.isMultipart()) {
          throw new ValidationError(msg('请以 multipart/form-data 上传一个 .txt 文件', 'Upload one .txt file as multipart/form-data'));
        }
        // preservePath: a name with a path is refused, not silently cut to its last segment.
        const part = await req.file({ preservePath: true, limits: { fileSize: VERIFICATION_FILE_MAX_BYTES, files: 1 } });
        if (!part) throw new ValidationError(msg('没有收到文件', 'No file received'));
        const name = part.filename;
        if (!VerificationFileNameSchema.safeParse(name).success) {
          part.file.resume();
          throw new ValidationError(
            msg(
              '文件名只能由字母、数字、_ 或 - 组成并以 .txt 结尾（不能包含路径），例如 WW_verify_abc123.txt',
              'The file name must be letters, digits, _ or - ending in .txt (no paths), e.g. WW_verify_abc123.txt',
            ),
          );
        }
        let bytes: Buffer;
        try {
          bytes = await part.toBuffer();
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
            throw new AppError(413, 'payload_too_large', msg('验证文件不能超过 64 KB', 'A verification file must be at most 64 KB'));
          }
          throw err;
        }
        const content = decodeText(bytes);
        const createdAt = nowIso();
        await db
          .insertInto('wecom_verification_files')
          .values({ name, content, created_at: createdAt })
          .onConflict((oc) => oc.column('name').doUpdateSet({ content, created_at: createdAt }))
          .execute();
        await audit(db, user!.id, 'wecom.verification_file_uploaded', name, { size: bytes.length });
        return { name, size: bytes.length, createdAt };
      },
    }),
    route({
      method: 'GET',
      url: '/api/settings/wecom/verification-files',
      access: 'admin',
      tag: 'wecom',
      summary: 'List the uploaded domain verification files',
      async handler(): Promise<VerificationFileView[]> {
        const rows = await db.selectFrom('wecom_verification_files').selectAll().orderBy('name').execute();
        return rows.map((r) => ({ name: r.name, size: Buffer.byteLength(r.content, 'utf8'), createdAt: r.created_at }));
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/settings/wecom/verification-files/:name',
      access: 'admin',
      tag: 'wecom',
      summary: 'Delete a domain verification file',
      params: VerificationFileParamsSchema,
      async handler({ params, user }) {
        const res = await db.deleteFrom('wecom_verification_files').where('name', '=', params.name).executeTakeFirst();
        if (Number(res.numDeletedRows) === 0) throw new NotFoundError(msg('验证文件', 'Verification file'));
        await audit(db, user!.id, 'wecom.verification_file_deleted', params.name);
        return { ok: true };
      },
    }),
  ];
}

/** Where the files are served: the site root, where WeChat's and WeCom's checkers look. */
export const VERIFICATION_FILE_URL = '/:name.txt';

/**
 * Serves uploaded files at the site root, byte for byte, before the single-page-app fallback.
 * Anything else ending in .txt is a plain 404 (not the web app's index.html).
 */
export function registerVerificationFileServing(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { name: string } }>(VERIFICATION_FILE_URL, async (req, reply) => {
    const name = `${req.params.name}.txt`;
    const row = VerificationFileNameSchema.safeParse(name).success
      ? await deps.db.selectFrom('wecom_verification_files').select('content').where('name', '=', name).executeTakeFirst()
      : undefined;
    if (!row) return reply.status(404).type('text/plain; charset=utf-8').send('Not Found');
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(Buffer.from(row.content, 'utf8'));
  });
}

/** Strict UTF-8 (BOM kept) so serving re-encodes to the very same bytes; NUL cannot be stored in PostgreSQL text. */
function decodeText(bytes: Buffer): string {
  if (bytes.length === 0) throw new ValidationError(msg('文件是空的', 'The file is empty'));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ValidationError(msg('验证文件必须是 UTF-8 文本', 'A verification file must be UTF-8 text'));
  }
  if (text.includes('\u0000')) throw new ValidationError(msg('验证文件必须是纯文本', 'A verification file must be plain text'));
  return text;
}

/** Every error the API answers with has this body; clients switch on `code`. */
export type ErrorCode =
  | 'validation_error'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_many_requests'
  | 'payload_too_large'
  | 'upstream_error'
  | 'internal_error';

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

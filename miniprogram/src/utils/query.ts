/** A page query value: WeChat hands them over still URI-encoded, a test harness already decoded. */
export function queryValue(v: string | undefined): string {
  if (!v) return '';
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** A multipart/form-data body with one file field named `file`, for app.inject uploads. */
export function multipart(fileName: string, content: Buffer | string) {
  const boundary = `----shulan${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const body = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return {
    payload: Buffer.concat([head, body, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestPki {
  /** PEM of the throwaway CA, for the client's trust store. */
  caPem: Buffer;
  /** Server certificate (leaf + CA, as a fullchain.pem would be) and key, for nginx. */
  certFile: string;
  keyFile: string;
}

/** Runs openssl; a missing openssl fails loudly with what to install. */
function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('openssl is not installed: apt-get install openssl (.ci/run installs it)');
    }
    throw new Error(`openssl ${args[0]} failed: ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
  }
}

/** A CA made for this run and a certificate it signed for `name`, in `dir`, both valid for `days`. */
export function makeTestPki(dir: string, name: string, { days = 2 }: { days?: number } = {}): TestPki {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', String(days), '-subj', '/CN=Shulan throwaway test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', ...ec, '-keyout', 'site.key', '-out', 'site.csr', '-subj', `/CN=${name}`], dir);
  fs.writeFileSync(path.join(dir, 'site.ext'), `subjectAltName=DNS:${name}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  openssl(['x509', '-req', '-in', 'site.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', String(days), '-extfile', 'site.ext', '-out', 'site.pem'], dir);
  const caPem = fs.readFileSync(path.join(dir, 'ca.pem'));
  const certFile = path.join(dir, 'fullchain.pem');
  fs.writeFileSync(certFile, Buffer.concat([fs.readFileSync(path.join(dir, 'site.pem')), caPem]));
  return { caPem, certFile, keyFile: path.join(dir, 'site.key') };
}

/**
 * Another certificate for the same name and key from the CA of makeTestPki in `dir`, valid only
 * between two past dates (OpenSSL 3.0's `x509 -req` cannot backdate; `ca -startdate/-enddate` can).
 * Returns the full-chain file.
 */
export function makePastCertificate(dir: string, start: string, end: string): string {
  fs.mkdirSync(path.join(dir, 'ca-db'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'ca-db', 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'ca-db', 'serial'), '1000\n');
  fs.writeFileSync(
    path.join(dir, 'ca.cnf'),
    ['[ca]', 'default_ca = test', '[test]', 'database = ca-db/index.txt', 'new_certs_dir = ca-db', 'serial = ca-db/serial', 'default_md = sha256',
      'policy = any', 'unique_subject = no', '[any]', 'commonName = supplied', ''].join('\n'),
  );
  openssl(['ca', '-batch', '-notext', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', 'site.csr', '-extfile', 'site.ext',
    '-startdate', start, '-enddate', end, '-out', 'past.pem'], dir);
  const file = path.join(dir, 'past-fullchain.pem');
  fs.writeFileSync(file, Buffer.concat([fs.readFileSync(path.join(dir, 'past.pem')), fs.readFileSync(path.join(dir, 'ca.pem'))]));
  return file;
}

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

/** A CA made for this run and a certificate it signed for `name`, in `dir`. */
export function makeTestPki(dir: string, name: string): TestPki {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Shulan throwaway test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', ...ec, '-keyout', 'site.key', '-out', 'site.csr', '-subj', `/CN=${name}`], dir);
  fs.writeFileSync(path.join(dir, 'site.ext'), `subjectAltName=DNS:${name}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  openssl(['x509', '-req', '-in', 'site.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'site.ext', '-out', 'site.pem'], dir);
  const caPem = fs.readFileSync(path.join(dir, 'ca.pem'));
  const certFile = path.join(dir, 'fullchain.pem');
  fs.writeFileSync(certFile, Buffer.concat([fs.readFileSync(path.join(dir, 'site.pem')), caPem]));
  return { caPem, certFile, keyFile: path.join(dir, 'site.key') };
}

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Corp, loadCorpFile } from './corp.js';
import { generateCorp } from './generate.js';
import { SAMPLE_CORP_PATH, parseLatency, startSimulator } from './index.js';

const USAGE = `shulan-wecom-sim — a simulator of the WeCom (企业微信) server API

  --port <n>         port (default 9100; 0 = any free port)
  --host <addr>      bind address (default 127.0.0.1)
  --corp <file>      corp fixture JSON (default: fixtures/sample-corp.json)
  --generate <n>     generate a corp with n members instead of loading one
  --seed <n>         seed for --generate (same seed, same corp)
  --write <file>     with --generate: write the fixture to <file> and exit
  --latency <ms>[±j] add a round trip to every WeCom API call (e.g. 25 or 25±5), like real WeCom
  --trust-proxy      take the caller IP from X-Forwarded-For
  -h, --help`;

function main(): Promise<void> | void {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9100' },
      host: { type: 'string', default: '127.0.0.1' },
      corp: { type: 'string' },
      generate: { type: 'string' },
      seed: { type: 'string' },
      write: { type: 'string' },
      latency: { type: 'string' },
      'trust-proxy': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port: not a port: ${values.port}`);
  }
  const latency = values.latency !== undefined ? parseLatency(values.latency) : undefined;
  let corp: Corp;
  if (values.generate !== undefined) {
    const n = Number(values.generate);
    if (!Number.isInteger(n) || n < 0 || n > 1_000_000) {
      throw new Error('--generate: 0..1000000 members');
    }
    const fixture = generateCorp({ members: n, ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}) });
    if (values.write) {
      writeFileSync(values.write, `${JSON.stringify(fixture, null, 1)}\n`);
      console.log(`wrote ${values.write}: ${fixture.members.length} members, ${fixture.departments.length} departments`);
      return;
    }
    corp = Corp.fromFixture(fixture);
  } else {
    corp = loadCorpFile(values.corp ?? SAMPLE_CORP_PATH);
  }
  return startSimulator({ corp, port, host: values.host, trustProxy: values['trust-proxy'], ...(latency ? { latency } : {}) }).then((sim) => {
    const lines = [
      `WeCom simulator listening on ${sim.url}  (set WECOM_API_BASE=${sim.url})`,
      ...(latency ? [`latency: ${latency.ms} ms${latency.jitterMs ? ` ± ${latency.jitterMs}` : ''} per WeCom call`] : []),
      `corp: ${corp.name}  corpid ${corp.corpid}  ${corp.departments.size} departments, ${corp.members.size} members`,
      'apps:',
      ...corp.apps.map((a) => `  - ${a.name} [${a.kind}]${a.agentid !== undefined ? ` agentid ${a.agentid}` : ''}${a.appid ? ` appid ${a.appid}` : ''} secret ${a.secret}`),
      'issue a wx.qy.login code for a member:',
      `  curl -s -X POST ${sim.url}/__sim/login-code -H 'content-type: application/json' -d '{"userid":"${[...corp.members.values()][0]?.userid ?? 'zhangsan'}"}'`,
      `other test controls under ${sim.url}/__sim/ (see wecom-sim/README.md)`,
    ];
    console.log(lines.join('\n'));
    const stop = () => {
      void sim.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

try {
  await main();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}

// A bare Fastify server in its own process, started the way Shulan is in production (plain node, no
// tsx): the baseline of the idle-memory figure. Plain JavaScript so node runs it as it is.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/api/site', async () => ({ data: { hello: 'world' } }));
await app.listen({ port: Number(process.env.SHULAN_PORT ?? 0), host: '127.0.0.1' });

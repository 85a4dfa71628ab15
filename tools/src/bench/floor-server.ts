import Fastify from 'fastify';

/** The HTTP floor: a bare Fastify POST that echoes its body. Port from argv[2]. */
const app = Fastify({ logger: false });
app.post('/echo', async (request) => request.body);
void app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });

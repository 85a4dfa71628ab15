import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyReply } from 'fastify';
import { WEB_APPS } from './web-apps';

/** Vite puts every hashed file (JS, CSS, fonts, images) under assets/: their name changes with their content. */
const HASHED_DIR = 'assets/';
const A_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Serves the built web apps from `webRoot` (dist/web), each under its path, from the api's own origin, so
 * the apps call /api/v1 without CORS. Hashed assets are cached for a year (immutable); index.html and
 * every client-side route (any other path under the app, which falls back to index.html) must be asked
 * for again each time, so a new release is picked up on the next load. Files are sent gzip- or
 * brotli-compressed when the build wrote a .gz/.br beside them (tools/src/web-build.ts does).
 * An app that is not built answers 404 saying how to build it, checked per request so a build made
 * after the api started is served without a restart.
 */
export async function serveWebApps(app: NestFastifyApplication, webRoot: string): Promise<void> {
  await app.register(fastifyStatic, { root: webRoot, serve: false, preCompressed: true, cacheControl: false });
  const fastify = app.getHttpAdapter().getInstance();
  for (const web of WEB_APPS) {
    const dir = join(webRoot, web.dir);
    const bare = web.path.slice(0, -1);
    fastify.get(bare, (_request, reply) => reply.redirect(web.path, 301));
    fastify.get(`${web.path}*`, (request, reply) => {
      if (!existsSync(join(dir, 'index.html'))) {
        return reply
          .code(404)
          .type('text/plain; charset=utf-8')
          .header('cache-control', 'no-cache')
          .send(
            `The ${web.title} (${web.path}) is not built. Run \`npm run build:web\`, or \`npm start\`, which builds it.\n`,
          );
      }
      const file = (request.params as { '*': string })['*'];
      if (file.startsWith(HASHED_DIR))
        return reply.sendFile(file, dir, { cacheControl: true, maxAge: A_YEAR_MS, immutable: true });
      if (isFileInside(dir, file) && file !== 'index.html') return sendFresh(reply, file, dir);
      return sendFresh(reply, 'index.html', dir);
    });
  }
}

/** A file (not a folder) of the build, e.g. favicon.svg; never a path that climbs out of it. */
function isFileInside(dir: string, file: string): boolean {
  const path = resolve(dir, file);
  return path.startsWith(dir + sep) && !file.endsWith('/') && existsSync(path);
}

function sendFresh(reply: FastifyReply, file: string, dir: string): FastifyReply {
  return reply.header('cache-control', 'no-cache').sendFile(file, dir);
}

import { CanActivate, Controller, Get, Injectable, Module, Req, Res } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyReply, FastifyRequest } from 'fastify';
import { serveDirectRoutes, ServedDirectly } from './direct-route';

let guardCalls = 0;

@Injectable()
class CountingGuard implements CanActivate {
  canActivate(): boolean {
    guardCalls += 1;
    return true;
  }
}

@Controller()
class ThingsController {
  private readonly prefix = 'thing';

  @Get('direct/:id')
  @ServedDirectly()
  async direct(@Req() request: FastifyRequest<{ Params: { id: string } }>, @Res() reply: FastifyReply): Promise<void> {
    reply.code(201).send({ name: `${this.prefix} ${request.params.id}` });
  }

  @Get('routed/:id')
  routed(): { name: string } {
    return { name: this.prefix };
  }
}

@Module({ controllers: [ThingsController], providers: [{ provide: APP_GUARD, useClass: CountingGuard }] })
class ThingsModule {}

async function appWith(direct: boolean): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ThingsModule, new FastifyAdapter(), { logger: false });
  if (direct) serveDirectRoutes(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('ServedDirectly', () => {
  afterEach(() => {
    guardCalls = 0;
  });

  it('has Fastify call the controller method itself: no global guard runs for it, but does for other routes', async () => {
    const app = await appWith(true);
    try {
      const fastify = app.getHttpAdapter().getInstance();
      const direct = await fastify.inject({ method: 'GET', url: '/direct/7' });
      expect([direct.statusCode, direct.json(), guardCalls]).toEqual([201, { name: 'thing 7' }, 0]);
      const routed = await fastify.inject({ method: 'GET', url: '/routed/7' });
      expect([routed.statusCode, routed.json(), guardCalls]).toEqual([200, { name: 'thing' }, 1]);
    } finally {
      await app.close();
    }
  });

  it('leaves a method Nest would call the same way: without serveDirectRoutes, Nest routes it through the guard', async () => {
    const app = await appWith(false);
    try {
      const direct = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/direct/7' });
      expect([direct.statusCode, direct.json(), guardCalls]).toEqual([201, { name: 'thing 7' }, 1]);
    } finally {
      await app.close();
    }
  });
});

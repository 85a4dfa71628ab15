import { Type } from '@nestjs/common';
import { NestFastifyApplication, RouteConfig } from '@nestjs/platform-fastify';
import { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

const DIRECT_KEY = 'quanServedDirectly';

interface DirectTarget {
  controller: Type;
  method: string | symbol;
}

type DirectMethod = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * For the hot path: Fastify calls the decorated controller method with its request and reply, and none
 * of Nest's per-request machinery runs (execution context, global guard, param decorators and pipes,
 * exception filter), a large share of the api's CPU per claim (docs/benchmarks.md).
 *
 * The endpoint stays declared as every other one (route, access, OpenAPI), so the documentation and the
 * authorization matrix see it; the method takes `@Req()` and `@Res()`, so Nest would call it the same
 * way. It does itself what Nest would have done, in the same order: AuthGuard.authenticate, then its
 * params and body with the same pipes, then the service, answering errors with replyWithProblem.
 */
export function ServedDirectly(): MethodDecorator {
  return (target, method, descriptor) =>
    RouteConfig({ [DIRECT_KEY]: { controller: target.constructor, method } })(target, method, descriptor);
}

/** Replaces the handler of each ServedDirectly route as Nest registers it (call before `app.init()`). */
export function serveDirectRoutes(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route: RouteOptions) => {
      const target = (route.config as Record<string, unknown> | undefined)?.[DIRECT_KEY] as DirectTarget | undefined;
      if (!target) return;
      let serve: DirectMethod | undefined;
      route.handler = (request, reply) => {
        if (!serve) {
          const controller = app.get<object>(target.controller, { strict: false }) as Record<
            string | symbol,
            DirectMethod
          >;
          serve = controller[target.method].bind(controller);
        }
        // Resolving with the reply tells Fastify the method answered itself, also while an async onSend hook
        // (the audit of an agent's request) still holds the answer back.
        return serve(request, reply).then(() => reply);
      };
    });
}

import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { StaffPrincipal, TokenService } from '@quan/auth';
import { AppConfig } from '@quan/config';
import { QueueName, StaffRole, SubjectKind } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { recordAudit, replyWithProblem } from '@quan/platform';

export const QUEUE_VIEW_PATH = '/admin/queues';
/** Carries a city admin's access token to the queue view, which a browser opens without an Authorization header. */
export const QUEUE_VIEW_COOKIE = 'quan_queue_view';

/** bull-board's retry endpoints: one job, or every job of a queue in a state. The only changes the view allows. */
const RETRY_JOB = /^\/admin\/queues\/api\/queues\/([^/]+)\/([^/]+)\/retry$/;
const RETRY_ALL = /^\/admin\/queues\/api\/queues\/([^/]+)\/retry\/([^/]+)$/;

function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * The queue view (bull-board) at /admin/queues: every queue with its job counts, failed jobs and a retry
 * button, for city admins only. A browser navigating there sends no bearer token, so the view also takes
 * the access token from an HttpOnly cookie set by POST /api/v1/admin/queue-view/session (openSession).
 * It is read-only but for retries, and each retry is audited before it is done.
 */
@Injectable()
export class QueueView implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly tokens: TokenService,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** The cookie that opens the view, lasting as long as the access token it carries. */
  openSession(authorization: string, reply: FastifyReply): void {
    const token = authorization.slice('Bearer '.length);
    reply.header(
      'set-cookie',
      `${QUEUE_VIEW_COOKIE}=${encodeURIComponent(token)}; Path=${QUEUE_VIEW_PATH}; Max-Age=${this.config.ACCESS_TOKEN_TTL_S}; HttpOnly; SameSite=Strict${this.config.NODE_ENV === 'production' ? '; Secure' : ''}`,
    );
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const board = new FastifyAdapter();
    board.setBasePath(QUEUE_VIEW_PATH);
    createBullBoard({
      queues: Object.values(QueueName).map(
        (name) => new BullMQAdapter(this.moduleRef.get<Queue>(getQueueToken(name), { strict: false })),
      ),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'Quan queues' } },
    });
    // Registered, not awaited: awaiting would load Fastify's plugins now, before Nest has set its error
    // handling (a malformed JSON body would then no longer become a problem answer). It loads with the app.
    void fastify.register(async (scope) => {
      scope.addHook('onRequest', (request, reply, done) => {
        try {
          this.admit(request);
          done();
        } catch (error) {
          replyWithProblem(error, request, reply);
        }
      });
      scope.addHook('preHandler', async (request) => this.auditRetry(request));
      await scope.register(board.registerPlugin(), { prefix: QUEUE_VIEW_PATH });
    });
  }

  /** A city admin, by bearer token or the view's cookie; and no change but a retry. */
  private admit(request: FastifyRequest): void {
    const bearer = request.headers.authorization?.startsWith('Bearer ')
      ? request.headers.authorization.slice('Bearer '.length)
      : undefined;
    const token = bearer ?? cookieOf(request.headers.cookie, QUEUE_VIEW_COOKIE);
    if (!token)
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'Sign in as a city admin (POST /api/v1/admin/queue-view/session) to open the queue view',
      );
    const principal = this.tokens.verifyAccessToken(token);
    if (principal.kind !== SubjectKind.Staff || principal.role !== StaffRole.CityAdmin) {
      throw new DomainError(ErrorCode.Forbidden, 'The queue view is for city admins');
    }
    const path = request.url.split('?')[0];
    if (
      request.method !== 'GET' &&
      request.method !== 'HEAD' &&
      !(request.method === 'PUT' && (RETRY_JOB.test(path) || RETRY_ALL.test(path)))
    ) {
      throw new DomainError(ErrorCode.Forbidden, 'The queue view only retries jobs');
    }
    (request as FastifyRequest & { staff?: StaffPrincipal }).staff = principal;
  }

  private async auditRetry(request: FastifyRequest): Promise<void> {
    if (request.method !== 'PUT') return;
    const staff = (request as FastifyRequest & { staff?: StaffPrincipal }).staff;
    const path = request.url.split('?')[0];
    const one = RETRY_JOB.exec(path);
    const all = RETRY_ALL.exec(path);
    const change = one
      ? {
          action: 'queue.job.retry',
          entityType: 'queue_job',
          entityId: `${decodeURIComponent(one[1])}/${decodeURIComponent(one[2])}`,
          before: null,
          after: { queue: decodeURIComponent(one[1]), jobId: decodeURIComponent(one[2]) },
        }
      : all && {
          action: 'queue.retry_all',
          entityType: 'queue',
          entityId: decodeURIComponent(all[1]),
          before: null,
          after: { queue: decodeURIComponent(all[1]), status: decodeURIComponent(all[2]) },
        };
    if (!change || !staff) return;
    await this.dataSource.transaction((manager) => recordAudit(manager, { id: staff.id, role: staff.role }, change));
  }
}

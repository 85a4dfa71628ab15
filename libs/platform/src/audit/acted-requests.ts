import { FastifyInstance, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { recordAudit } from './audit-trail';

/** A request served on a resident's identity for a community agent (an acting-for access token). */
export interface ActedRequest {
  agentId: string;
  residentId: string;
  identityId: string | null;
}

/** The audit action of a request an agent made for a resident (docs/assisted-claims.md). */
export const ACTED_REQUEST_ACTION = 'agent.acted_request';

/** The role an acted request's audit entry names: the agent, who made the request. */
const AGENT_ROLE = 'community_agent';

const acted = new WeakMap<FastifyRequest, ActedRequest>();

/** Marks `request` as made by an agent for a resident: its answer is audited before it is sent. */
export function markActed(request: FastifyRequest, who: ActedRequest): void {
  acted.set(request, who);
}

/** The ids an answer names (its own, a claim's, its vouchers'): never a short code or a token. */
function idsOf(payload: unknown): Record<string, unknown> {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return {};
  try {
    const body = JSON.parse(payload) as Record<string, unknown>;
    const ids: Record<string, unknown> = {};
    for (const key of ['id', 'claimId']) if (typeof body[key] === 'string') ids[key] = body[key];
    if (Array.isArray(body.vouchers))
      ids.voucherIds = (body.vouchers as { id?: unknown }[]).map((voucher) => voucher.id);
    return ids;
  } catch {
    return {};
  }
}

/**
 * Every request but a read that an agent makes on a resident's identity (a claim, a lottery registration,
 * a print…) is an audit entry of the resident, by the agent, naming the person, the route, the answer's
 * status and the ids it answered with. It is written before the answer is sent: an answer that could not be
 * audited is not sent (the agent retries, with the same Idempotency-Key for a claim, and gets the first
 * answer). A resident's own requests are never marked, so they pass here at the cost of a map lookup.
 */
export function auditActedRequests(fastify: FastifyInstance, dataSource: DataSource): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const who = acted.get(request);
    if (!who || request.method === 'GET' || request.method === 'HEAD') return done(null, payload);
    acted.delete(request);
    dataSource
      .transaction((manager) =>
        recordAudit(
          manager,
          { id: who.agentId, role: AGENT_ROLE },
          {
            action: ACTED_REQUEST_ACTION,
            entityType: 'resident',
            entityId: who.residentId,
            before: null,
            after: {
              identityId: who.identityId,
              method: request.method,
              route: request.routeOptions.url ?? request.url,
              status: reply.statusCode,
              ...idsOf(payload),
            },
          },
        ),
      )
      .then(
        () => done(null, payload),
        (error: Error) => done(error),
      );
  });
}

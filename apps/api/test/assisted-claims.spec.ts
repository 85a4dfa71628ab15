import { randomUUID } from 'node:crypto';
import { idNumberCheckCharacter } from '@quan/domain';
import { Api, startApi } from './support/api';

/**
 * Assisted claims (代领 / 助老): community agents register residents without a smartphone and claim for them on
 * the resident's identity, so per-person limits are shared across channels; agents serve only their county,
 * within a daily quota; every step is audited; a printed voucher's short code redeems at a till.
 */
describe('assisted claims by community agents', () => {
  const DEV_OTP = '246801';
  const QUOTA = 4;
  let api: Api;
  let hanbinAdmin: string;
  let agent: string;
  let agentId: string;
  let round: { roundId: string; offerId: string };
  let lotteryRoundId: string;
  let people = 0;
  let phones = 0;

  /** A valid 居民身份证号码 of 汉滨区, a new one per call. */
  const idNumber = () => {
    people += 1;
    const digits17 = `61090219500101${String(people).padStart(3, '0')}`;
    return `${digits17}${idNumberCheckCharacter(digits17)}`;
  };
  const consent = { consentGivenBy: 'resident', consentMethod: 'signed_form', consentAt: new Date().toISOString() };
  const register = (token: string, id: string, extra: Record<string, unknown> = {}) =>
    api.call('POST', '/assisted-residents', {
      token,
      body: { name: '王秀英', idNumber: id, countyCode: 'hanbin', ...consent, ...extra },
    });
  const session = (token: string, residentId: string) =>
    api.call('POST', `/assisted-residents/${residentId}/sessions`, { token });
  const claim = (token: string) =>
    api.call('POST', `/rounds/${round.roundId}/claims`, {
      token,
      body: { offerId: round.offerId },
      headers: { 'idempotency-key': `assisted-${randomUUID()}` },
    });
  /** A resident on a phone of their own, verified as the person with `id`: their access token. */
  const phoneResident = async (id: string) => {
    phones += 1;
    const login = await api.call('POST', '/auth/login', {
      body: { phone: `1390000${String(phones).padStart(4, '0')}`, code: DEV_OTP },
    });
    const verified = await api.call('POST', '/me/identity', {
      token: login.body.accessToken as string,
      body: { name: '王秀英', idNumber: id },
    });
    expect(verified.status).toBe(200);
    return verified.body.accessToken as string;
  };
  const newAgent = async (countyCode: string, admin: string) => {
    const username = `agent-${randomUUID().slice(0, 8)}`;
    const created = await api.call('POST', '/staff-accounts', {
      token: admin,
      body: { username, displayName: '社区工作人员', password: 'agent-password', role: 'community_agent', countyCode },
    });
    expect(created.status).toBe(201);
    return { token: await api.login(username, 'agent-password'), id: created.body.id as string };
  };
  const auditOf = (action: string, entityId: string) =>
    api.db.query(`SELECT actor_id, actor_role, after FROM audit_log WHERE action = $1 AND entity_id = $2 ORDER BY id`, [
      action,
      entityId,
    ]);

  beforeAll(async () => {
    api = await startApi({ AUTH_DEV_OTP: DEV_OTP, AGENT_DAILY_QUOTA: QUOTA });
    hanbinAdmin = await api.login('hanbin-admin');
    ({ token: agent, id: agentId } = await newAgent('hanbin', hanbinAdmin));
    const rounds = (await api.call('GET', '/rounds')).body as unknown as {
      id: string;
      mode: string;
      offers: { id: string }[];
    }[];
    const open = rounds.find((listed) => listed.mode === 'first_come')!;
    round = { roundId: open.id, offerId: open.offers[0].id };
    lotteryRoundId = rounds.find((listed) => listed.mode === 'lottery')!.id;
  });

  afterAll(() => api?.close());

  it('lets a county admin create community agents of their own county only', async () => {
    const body = { displayName: '社区', password: 'agent-password', role: 'community_agent' };
    const other = await api.call('POST', '/staff-accounts', {
      token: hanbinAdmin,
      body: { ...body, username: 'agent-of-xunyang', countyCode: 'xunyang' },
    });
    const notAgent = await api.call('POST', '/staff-accounts', {
      token: hanbinAdmin,
      body: { ...body, username: 'finance-by-county', role: 'finance' },
    });
    expect([other.status, other.body.code, notAgent.status, notAgent.body.code]).toEqual([
      403,
      'FORBIDDEN',
      403,
      'FORBIDDEN',
    ]);
    const unbound = await api.call('POST', '/staff-accounts', {
      token: await api.login('admin'),
      body: { ...body, username: 'agent-without-county' },
    });
    expect([unbound.status, unbound.body.code]).toEqual([400, 'ROLE_BINDING_INVALID']);
  });

  it('registers a resident from the ID card with consent, once per person, audited with the agent and the identity', async () => {
    const id = idNumber();
    const first = await register(agent, id);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ countyCode: 'hanbin', phoneMasked: null, nameMasked: '王**' });
    const again = await register(agent, id, { consentMethod: 'fingerprint' });
    expect(again.body).toMatchObject({ residentId: first.body.residentId, consentMethod: 'fingerprint' });
    const residentId = first.body.residentId as string;
    expect(await auditOf('assisted_resident.register', residentId)).toEqual([
      expect.objectContaining({ actor_id: agentId, actor_role: 'community_agent' }),
    ]);
    const consents = await auditOf('assisted_resident.consent', residentId);
    expect(consents.map((entry: { after: { method: string; identityId: string } }) => entry.after)).toEqual([
      expect.objectContaining({ method: 'signed_form', identityId: first.body.identityId }),
      expect.objectContaining({ method: 'fingerprint', identityId: first.body.identityId }),
    ]);
    const [identity] = await api.db.query(`SELECT count(*)::int AS n FROM identities WHERE id = $1`, [
      first.body.identityId,
    ]);
    expect(identity.n).toBe(1);
  });

  it('refuses another county: a resident stated of another county, and another county agent acting for this one', async () => {
    const stated = await register(agent, idNumber(), { countyCode: 'xunyang' });
    expect([stated.status, stated.body.code]).toEqual([403, 'OUT_OF_SCOPE']);
    const id = idNumber();
    const resident = await register(agent, id);
    const xunyang = await newAgent('xunyang', await api.login('xunyang-admin'));
    const acting = await session(xunyang.token, resident.body.residentId as string);
    expect([acting.status, acting.body.code]).toEqual([404, 'ASSISTED_RESIDENT_NOT_FOUND']);
    const moved = await register(xunyang.token, id, { countyCode: 'xunyang' });
    expect([moved.status, moved.body.code]).toEqual([403, 'OUT_OF_SCOPE']);
    const listed = await api.call('GET', '/assisted-residents', { token: await api.login('xunyang-admin') });
    expect(listed.body.items).toEqual([]);
  });

  it("shares per-person limits: an agent's claim stops the resident's phone claim, and the reverse", async () => {
    // Agent first, then the phone.
    const agentFirst = idNumber();
    const registered = await register(agent, agentFirst);
    const acting = await session(agent, registered.body.residentId as string);
    expect(acting.status).toBe(200);
    const byAgent = await claim(acting.body.accessToken as string);
    expect(byAgent.status).toBe(201);
    const byPhone = await claim(await phoneResident(agentFirst));
    expect([byPhone.status, byPhone.body.code]).toEqual([409, 'LIMIT_REACHED']);

    // Phone first, then the agent.
    const phoneFirst = idNumber();
    expect((await claim(await phoneResident(phoneFirst))).status).toBe(201);
    const later = await register(agent, phoneFirst);
    const actingLater = await session(agent, later.body.residentId as string);
    const refused = await claim(actingLater.body.accessToken as string);
    expect([refused.status, refused.body.code]).toEqual([409, 'LIMIT_REACHED']);

    // Both acted claims are in the audit log by the agent, naming the person; the resident's own claim is not.
    const acted = await auditOf('agent.acted_request', registered.body.residentId as string);
    expect(acted).toEqual([
      expect.objectContaining({
        actor_id: agentId,
        actor_role: 'community_agent',
        after: expect.objectContaining({
          identityId: registered.body.identityId,
          status: 201,
          claimId: byAgent.body.claimId,
          route: '/api/v1/rounds/:roundId/claims',
        }),
      }),
    ]);
    expect(await auditOf('agent.acted_request', later.body.residentId as string)).toEqual([
      expect.objectContaining({ after: expect.objectContaining({ status: 409 }) }),
    ]);
    const [{ n }] = await api.db.query(
      `SELECT count(*)::int AS n FROM audit_log a JOIN residents r ON r.id::text = a.entity_id
        WHERE a.action = 'agent.acted_request' AND r.phone_hash IS NOT NULL`,
    );
    expect(n).toBe(0);
  });

  it("registers a resident for a lottery round on the agent's acting token, audited as the agent's", async () => {
    const registered = await register(agent, idNumber());
    const acting = await session(agent, registered.body.residentId as string);
    const entry = await api.call('POST', `/rounds/${lotteryRoundId}/registrations`, {
      token: acting.body.accessToken as string,
      headers: { 'idempotency-key': `assisted-${randomUUID()}` },
    });
    expect(entry.status).toBe(201);
    expect(await auditOf('agent.acted_request', registered.body.residentId as string)).toEqual([
      expect.objectContaining({
        actor_id: agentId,
        after: expect.objectContaining({
          identityId: registered.body.identityId,
          status: 201,
          route: '/api/v1/rounds/:roundId/registrations',
        }),
      }),
    ]);
  });

  it('enforces the daily quota under a race: exactly the quota of residents is served, a served one again is free', async () => {
    const racer = await newAgent('hanbin', hanbinAdmin);
    const residents: string[] = [];
    for (let i = 0; i < 10; i += 1) residents.push((await register(racer.token, idNumber())).body.residentId as string);
    const answers = await Promise.all(residents.map((id) => session(racer.token, id)));
    const served = answers.filter((a) => a.status === 200);
    expect(served).toHaveLength(QUOTA);
    expect(answers.filter((a) => a.status === 429).map((a) => a.body.code)).toEqual(
      Array(10 - QUOTA).fill('AGENT_QUOTA_EXCEEDED'),
    );
    const [usage] = await api.db.query(`SELECT residents FROM agent_daily_usage WHERE agent_id = $1`, [racer.id]);
    expect(usage.residents).toBe(QUOTA);
    const servedId = residents[answers.findIndex((a) => a.status === 200)];
    const again = await session(racer.token, servedId);
    expect([again.status, again.body.servedToday]).toEqual([200, QUOTA]);
    const [{ n }] = await api.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'assisted_resident.acting_session' AND actor_id = $1`,
      [racer.id],
    );
    expect(n).toBe(QUOTA + 1);
  });

  it("prints a claimed voucher (audited as the agent's) whose short code a cashier redeems by typing it", async () => {
    const registered = await register(agent, idNumber());
    const acting = (await session(agent, registered.body.residentId as string)).body.accessToken as string;
    const claimed = await claim(acting);
    const voucher = (claimed.body.vouchers as { id: string; thresholdFen: number }[]).sort(
      (a, b) => a.thresholdFen - b.thresholdFen,
    )[0];
    const printed = await api.call('POST', `/me/vouchers/${voucher.id}/prints`, { token: acting });
    expect(printed.status).toBe(200);
    expect(printed.body).toMatchObject({ id: voucher.id, shortCode: expect.stringMatching(/\S/) });
    expect(printed.body.validUntil).toEqual(expect.any(String));
    const audited = await auditOf('agent.acted_request', registered.body.residentId as string);
    expect(audited.map((entry: { after: { route: string } }) => entry.after.route)).toContain(
      '/api/v1/me/vouchers/:id/prints',
    );
    const redeemed = await api.call('POST', '/merchant/redemptions', {
      token: await api.login('m001-cashier'),
      body: { code: printed.body.shortCode, orderAmountFen: 10000 },
      headers: { 'idempotency-key': `till-${randomUUID()}` },
    });
    expect(redeemed.status).toBe(201);
    const [row] = await api.db.query(`SELECT status FROM vouchers WHERE id = $1`, [voucher.id]);
    expect(row.status).toBe('redeemed');
  });

  it("lists the residents agents served to their county's admin, with who served them last", async () => {
    const listed = await api.call('GET', `/assisted-residents?servedBy=${agentId}`, { token: hanbinAdmin });
    expect(listed.status).toBe(200);
    const items = listed.body.items as { countyCode: string; lastServedByUsername: string | null }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.countyCode === 'hanbin' && item.lastServedByUsername !== null)).toBe(true);
  });
});

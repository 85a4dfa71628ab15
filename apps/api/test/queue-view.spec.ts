import { Job, Queue, Worker } from 'bullmq';
import { AuditLog, queuePrefix, QueueName, SystemJob } from '@quan/data';
import { waitUntil } from '@quan/platform';
import { Api, startApi } from './support/api';

/** The queue view (bull-board) at /admin/queues: city admins only, every queue, failed jobs retried and audited. */
describe('the queue view', () => {
  let api: Api;
  let system: Queue;
  let admin: string;

  beforeAll(async () => {
    api = await startApi();
    admin = await api.login('admin');
    const connection = { url: api.env.config.REDIS_URL };
    system = new Queue(QueueName.System, { connection, prefix: queuePrefix(api.env.config.REDIS_KEY_PREFIX) });
  });

  afterAll(async () => {
    await system?.close();
    await api?.close();
  });

  const view = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'PUT' | 'DELETE' = 'GET') =>
    api.app.inject({ method, url: `/admin/queues${url}`, headers });

  it('refuses anyone but a city admin, with a problem code', async () => {
    const anonymous = await view('');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    for (const username of ['finance', 'auditor', 'hanbin-admin', 'm001-admin']) {
      const refused = await view('/api/queues', { authorization: `Bearer ${await api.login(username)}` });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'FORBIDDEN' });
      expect((await api.call('POST', '/admin/queue-view/session', { token: await api.login(username) })).status).toBe(
        403,
      );
    }
    expect((await view('', { cookie: 'quan_queue_view=not-a-token' })).statusCode).toBe(401);
  });

  it('opens in a browser of a city admin through the session cookie and shows every queue with its counts', async () => {
    const session = await api.call('POST', '/admin/queue-view/session', { token: admin });
    expect(session.status).toBe(204);
    const setCookie = String(session.headers['set-cookie']);
    expect(setCookie).toMatch(/^quan_queue_view=[^;]+; Path=\/admin\/queues; Max-Age=\d+; HttpOnly; SameSite=Strict/);
    const cookie = setCookie.split(';')[0];

    const page = await view('', { cookie });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const queues = await view('/api/queues', { cookie });
    expect(queues.statusCode).toBe(200);
    const listed = (queues.json() as { queues: { name: string; counts: Record<string, number> }[] }).queues;
    expect(listed.map((queue) => queue.name).sort()).toEqual(Object.values(QueueName).sort());
    for (const queue of listed)
      expect(queue.counts).toEqual(
        expect.objectContaining({ failed: expect.any(Number), waiting: expect.any(Number) }),
      );
  });

  it("lists a failed job, retries it on a city admin's request and audits the retry; other changes are refused", async () => {
    const failing = new Worker(
      QueueName.System,
      async () => {
        throw new Error('made to fail');
      },
      { connection: { url: api.env.config.REDIS_URL }, prefix: queuePrefix(api.env.config.REDIS_KEY_PREFIX) },
    );
    let job: Job;
    try {
      job = await system.add(SystemJob.Heartbeat, {}, { jobId: 'made-to-fail', attempts: 1 });
      await waitUntil('the job failing', async () => (await job.getState()) === 'failed', 10000);
    } finally {
      await failing.close();
    }
    const auth = { authorization: `Bearer ${admin}` };
    const failed = await view(`/api/queues?activeQueue=${QueueName.System}&status=failed&page=1`, auth);
    const systemQueue = (
      failed.json() as {
        queues: { name: string; counts: { failed: number }; jobs: { id: string; failedReason: string }[] }[];
      }
    ).queues.find((queue) => queue.name === QueueName.System);
    expect(systemQueue?.counts.failed).toBe(1);
    expect(systemQueue?.jobs).toEqual([expect.objectContaining({ id: 'made-to-fail', failedReason: 'made to fail' })]);

    expect((await view(`/api/queues/${QueueName.System}/made-to-fail/clean`, auth, 'PUT')).statusCode).toBe(403);
    expect((await view(`/api/queues/${QueueName.System}/empty`, auth, 'PUT')).statusCode).toBe(403);
    expect(await api.db.getRepository(AuditLog).countBy({ action: 'queue.job.retry' })).toBe(0);

    const retried = await view(`/api/queues/${QueueName.System}/made-to-fail/retry`, auth, 'PUT');
    expect(retried.statusCode).toBe(204);
    expect(await system.getJobState('made-to-fail')).not.toBe('failed');
    const [entry] = await api.db.getRepository(AuditLog).findBy({ action: 'queue.job.retry' });
    expect(entry).toMatchObject({
      entityType: 'queue_job',
      entityId: `${QueueName.System}/made-to-fail`,
      actorRole: 'city_admin',
    });
    expect(entry.actorId).toBeTruthy();
  });
});

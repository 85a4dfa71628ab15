import { DataSource } from 'typeorm';
import { AppConfig } from '@quan/config';
import { lotteryEntry, newEntrySalt, timeOrderedUuid } from '@quan/domain';
import { ClaimFixture, ClaimFixtureOptions, createClaimFixture } from './claim-fixture';

/**
 * The claim fixture with its first round made a lottery round (摇号) open for registration, drawn at its
 * close; the second round stays first-come, for claims the winners make elsewhere.
 */
export async function createLotteryFixture(
  dataSource: DataSource,
  config: AppConfig,
  options: ClaimFixtureOptions,
): Promise<ClaimFixture> {
  const fixture = await createClaimFixture(dataSource, config, options);
  await dataSource.query(`UPDATE rounds SET mode = 'lottery', draw_at = closes_at WHERE id = $1`, [fixture.roundId]);
  return fixture;
}

/** Closes the fixture's lottery round as if its registration ended an hour ago and its draw were due. */
export async function closeLotteryRound(dataSource: DataSource, roundId: string): Promise<void> {
  await dataSource.query(
    `UPDATE rounds SET opens_at = now() - interval '3 hours', closes_at = now() - interval '1 hour', draw_at = now() - interval '1 hour' WHERE id = $1`,
    [roundId],
  );
}

/**
 * Registrations inserted directly (set-based), one per resident, each with its own salt and entry as the
 * api would make them: for draws too large to register over HTTP in a test.
 */
export async function insertRegistrations(
  dataSource: DataSource,
  fixture: Pick<ClaimFixture, 'campaignId' | 'roundId' | 'residents'>,
): Promise<void> {
  const rows = fixture.residents.map((resident) => {
    const salt = newEntrySalt();
    return { id: timeOrderedUuid(), resident, salt, entry: lotteryEntry(fixture.roundId, salt, resident.identityId) };
  });
  await dataSource.query(
    `INSERT INTO lottery_registrations (id, round_id, campaign_id, resident_id, identity_id, salt, entry, registered_at)
     SELECT id, $1, $2, r, i, s, e, now() - interval '2 hours'
       FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[]) AS t(id, r, i, s, e)`,
    [
      fixture.roundId,
      fixture.campaignId,
      rows.map((row) => row.id),
      rows.map((row) => row.resident.id),
      rows.map((row) => row.resident.identityId),
      rows.map((row) => row.salt),
      rows.map((row) => row.entry),
    ],
  );
}

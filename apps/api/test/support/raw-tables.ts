import { DataSource } from 'typeorm';

/**
 * The tables (of the public schema) with a row whose text form, every column included (jsonb too),
 * contains one of the needles; empty when none does.
 */
export async function tablesContaining(db: DataSource, needles: string[]): Promise<string[]> {
  const tables: { name: string }[] = await db.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const [{ hits }]: { hits: number }[] = await db.query(
      `SELECT count(*)::int AS hits FROM "${name}" AS t WHERE t::text LIKE ANY ($1)`,
      [needles.map((needle) => `%${needle}%`)],
    );
    if (hits > 0) found.push(name);
  }
  return found;
}

import { DataSource } from 'typeorm';
import { FieldCipher, SealedField } from './field-cipher';

/** Every column that holds sealed values, with what it is for. */
const SEALED_COLUMNS: { table: string; column: string; field: SealedField }[] = [
  { table: 'merchants', column: 'bank_account_sealed', field: 'merchants.bank_account' },
  { table: 'merchants', column: 'contact_phone_sealed', field: 'merchants.contact_phone' },
];

const CHUNK = 500;

/**
 * Seals the values still in clear (`clear`: after the migration that introduced sealing, run by every
 * migrate) or re-seals every value not sealed with the current key (`rekey`: `npm run data:rekey`, after
 * DATA_KEY_CURRENT changed). Chunks of rows commit one at a time, so a stopped run resumes where it was.
 * Answers how many values were written.
 */
export async function resealData(
  dataSource: DataSource,
  cipher: FieldCipher,
  scope: 'clear' | 'rekey',
): Promise<number> {
  let written = 0;
  for (const { table, column, field } of SEALED_COLUMNS) {
    const stale = scope === 'clear' ? `${column} NOT LIKE 'v1:%'` : `${column} NOT LIKE 'v1:' || $1 || ':%'`;
    for (;;) {
      const done = await dataSource.transaction(async (manager) => {
        const rows: { id: string; value: string }[] = await manager.query(
          `SELECT id, ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL AND ${stale} ORDER BY id LIMIT ${CHUNK} FOR UPDATE`,
          scope === 'clear' ? [] : [cipher.currentKeyId],
        );
        for (const { id, value } of rows) {
          const plain = FieldCipher.keyIdOf(value) === null ? value : cipher.open(field, value);
          await manager.query(`UPDATE ${table} SET ${column} = $2 WHERE id = $1`, [id, cipher.seal(field, plain)]);
        }
        return rows.length;
      });
      written += done;
      if (done < CHUNK) break;
    }
  }
  return written;
}

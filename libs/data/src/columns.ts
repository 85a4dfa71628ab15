import { ColumnOptions, ValueTransformer } from 'typeorm';
import { fen, Fen } from '@quan/domain';

/** bigint columns holding fen: Postgres returns them as strings; they become checked integers. */
const fenTransformer: ValueTransformer = {
  to: (value: Fen | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : fen(value)),
};

export function fenColumn(options: Omit<ColumnOptions, 'type' | 'transformer'> = {}): ColumnOptions {
  return { type: 'bigint', transformer: fenTransformer, ...options };
}

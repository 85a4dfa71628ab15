import type { TablePaginationConfig } from 'antd';
import { useSearchParams } from 'react-router';

export const PAGE_SIZE = 20;

/**
 * A list's filters and page kept in the URL (so a detail's "back" and a reload keep them): `filters` as
 * strings (`initial` for a form: unset ones undefined, so selects show their placeholder), `offset` and
 * `limit` for the api, the table's pagination for antd.
 */
export function useListParams<K extends string>(keys: readonly K[], defaults: Partial<Record<K, string>> = {}) {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(keys.map((key) => [key, params.get(key) ?? defaults[key] ?? ''])) as Record<
    K,
    string
  >;
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const setFilters = (next: Partial<Record<K, string>>) => {
    const merged = { ...filters, ...next };
    setParams(Object.fromEntries(Object.entries<string>(merged).filter(([, value]) => value !== '')));
  };
  const pagination = (total: number | undefined): TablePaginationConfig => ({
    current: page,
    pageSize: PAGE_SIZE,
    total,
    showSizeChanger: false,
    onChange: (next) => setParams({ ...Object.fromEntries(params), page: String(next) }),
  });
  const initial = Object.fromEntries(
    Object.entries<string>(filters).map(([key, value]) => [key, value || undefined]),
  ) as Partial<Record<K, string>>;
  return { filters, initial, setFilters, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, pagination };
}

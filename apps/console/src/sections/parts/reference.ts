import { useQuery } from '@tanstack/react-query';
import { ok } from '@quan/web-api';
import { api } from '../../runtime';

/** Counties and categories (public reference lists, kept for the session): names for codes, options of selects. */
export function useReference() {
  const counties = useQuery({
    queryKey: ['counties'],
    queryFn: () => ok(api.GET('/api/v1/counties')),
    staleTime: Infinity,
  });
  const categories = useQuery({
    queryKey: ['categories'],
    queryFn: () => ok(api.GET('/api/v1/categories')),
    staleTime: Infinity,
  });
  const countyName = (code: string | null | undefined) =>
    counties.data?.find((c) => c.code === code)?.name ?? code ?? '';
  const categoryName = (code: string | null | undefined) =>
    categories.data?.find((c) => c.code === code)?.name ?? code ?? '';
  return {
    counties: counties.data ?? [],
    categories: categories.data ?? [],
    countyOptions: optionsOf(counties.data),
    categoryOptions: optionsOf(categories.data),
    countyName,
    categoryName,
  };
}

const optionsOf = (items: readonly { code: string; name: string }[] | undefined) =>
  (items ?? []).map((item) => ({ value: item.code, label: item.name }));

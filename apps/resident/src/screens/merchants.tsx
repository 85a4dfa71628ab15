import { useEffect, useState } from 'react';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { ok } from '@quan/web-api';
import { QueryView } from '../components/query-view';
import { api } from '../runtime';

const PAGE = 20;

/** Typing pauses this long before the directory is asked again. */
const SEARCH_DELAY_MS = 300;

function useDebounced(value: string): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

/** A filter by code over a reference list (counties, categories); empty means all. */
function FilterSelect(props: {
  label: string;
  value: string;
  onChange: (code: string) => void;
  options: { code: string; name: string }[] | undefined;
}) {
  const { t } = useTranslation('resident');
  return (
    <label className="q-field" style={{ flex: 1 }}>
      <span>{props.label}</span>
      <select className="q-select" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{t('merchants.all')}</option>
        {props.options?.map((option) => (
          <option key={option.code} value={option.code}>
            {option.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Component() {
  const { t } = useTranslation('resident');
  const [countyCode, setCounty] = useState('');
  const [categoryCode, setCategory] = useState('');
  const [search, setSearch] = useState('');
  const name = useDebounced(search.trim());
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
  const directory = useInfiniteQuery({
    queryKey: ['merchant-directory', countyCode, categoryCode, name],
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/api/v1/merchant-directory', {
          params: {
            query: {
              countyCode: countyCode || undefined,
              categoryCode: categoryCode || undefined,
              name: name || undefined,
              limit: PAGE,
              offset: pageParam,
            },
          },
        }),
      ),
    initialPageParam: 0,
    getNextPageParam: (last) =>
      last.offset + last.items.length < last.total ? last.offset + last.items.length : undefined,
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <h2>{t('merchants.title')}</h2>
      <div className="q-card q-stack">
        <label className="q-field">
          <span>{t('merchants.search')}</span>
          <input
            className="q-input"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            maxLength={50}
          />
        </label>
        <div className="q-inline">
          <FilterSelect label={t('merchants.county')} value={countyCode} onChange={setCounty} options={counties.data} />
          <FilterSelect
            label={t('merchants.category')}
            value={categoryCode}
            onChange={setCategory}
            options={categories.data}
          />
        </div>
      </div>
      <QueryView query={directory}>
        {(data) => {
          const items = data.pages.flatMap((page) => page.items);
          return (
            <>
              <p aria-live="polite">{t('merchants.total', { total: data.pages[0]?.total ?? 0 })}</p>
              {items.length === 0 ? (
                <p className="q-card">{t('merchants.empty')}</p>
              ) : (
                <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                  {items.map((merchant) => (
                    <li key={merchant.id} className="q-card">
                      <div className="q-row">
                        <strong>{merchant.name}</strong>
                        {merchant.aboveQuota && <Tag color="primary">{t('merchants.aboveQuota')}</Tag>}
                      </div>
                      <div>
                        {merchant.countyName} · {merchant.categoryName}
                      </div>
                      <div className="q-muted">{merchant.address}</div>
                    </li>
                  ))}
                </ul>
              )}
              {directory.hasNextPage && (
                <Button
                  block
                  size="large"
                  loading={directory.isFetchingNextPage}
                  onClick={() => void directory.fetchNextPage()}
                >
                  {t('merchants.more')}
                </Button>
              )}
            </>
          );
        }}
      </QueryView>
    </>
  );
}

import { Alert, Table } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ok } from '@quan/web-api';
import { formatDateTime } from '@quan/web-core';
import { useAllowed } from '../../access';
import { api } from '../../runtime';
import type { AuditEntry, Campaign } from './data';

/** Who may read the audit log (the api's rule for /audit-log). */
const AUDIT_READERS = ['city_admin', 'auditor'] as const;
/** Bookkeeping that changes with every write and says nothing to an approver. */
const IGNORED = new Set(['version', 'updatedAt', 'makerIds', 'worstCaseSubsidyFen', 'paused']);

type Named = { id: string; name: string };

/** What one audit entry changed, in words: fields before → after, and parts added, removed or changed. */
export function useDescribeChange(): (entry: AuditEntry) => string[] {
  const { t } = useTranslation('campaigns');
  const labels: Record<string, string> = {
    name: t('basics.name'),
    budgetFen: t('basics.budget'),
    issueBeyondBudget: t('basics.beyond'),
    startsAt: t('basics.startsAt'),
    endsAt: t('basics.endsAt'),
    scopeCountyCode: t('scope.scope'),
    limits: t('detail.limits'),
    eligibility: t('review.fieldEligibility'),
    status: t('review.fieldStatus'),
    voucherTypes: t('detail.types'),
    rounds: t('detail.rounds'),
  };
  const show = (value: unknown) =>
    value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const isRecord = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  /** A field before → after; of limits and eligibility only the members that changed. */
  const fieldChange = (key: string, was: unknown, now: unknown): string => {
    const label = labels[key] ?? key;
    if (key === 'status') return `${label}: ${t(`status.${String(was)}`)} → ${t(`status.${String(now)}`)}`;
    if (!isRecord(was) || !isRecord(now)) return `${label}: ${show(was)} → ${show(now)}`;
    const members = Object.keys({ ...was, ...now }).filter(
      (member) => JSON.stringify(was[member]) !== JSON.stringify(now[member]),
    );
    return `${label}: ${members.map((member) => `${member} ${show(was[member])} → ${show(now[member])}`).join('；')}`;
  };
  return ({ before, after }) => {
    if (!before) return [t('review.created')];
    if (!after) return [];
    return Object.keys({ ...before, ...after })
      .filter((key) => !IGNORED.has(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      .map((key) => {
        if (key !== 'voucherTypes' && key !== 'rounds') return fieldChange(key, before[key], after[key]);
        const was = (before[key] ?? []) as Named[];
        const now = (after[key] ?? []) as Named[];
        const names = (parts: Named[]) => parts.map((part) => part.name).join('、');
        const added = now.filter((part) => !was.some((old) => old.id === part.id));
        const removed = was.filter((old) => !now.some((part) => part.id === old.id));
        const altered = now.filter((part) =>
          was.some((old) => old.id === part.id && JSON.stringify(old) !== JSON.stringify(part)),
        );
        const said = [
          added.length ? t('review.added', { names: names(added) }) : '',
          removed.length ? t('review.removed', { names: names(removed) }) : '',
          altered.length ? t('review.changedParts', { names: names(altered) }) : '',
        ].filter(Boolean);
        return `${labels[key]}: ${said.join('；')}`;
      });
  };
}

/**
 * The campaign's audit entries since its last approval (all of them for a new campaign), newest first:
 * what the approver checks besides the configuration. Only audit readers get them from the api.
 */
export function CampaignChanges({ campaign }: { campaign: Campaign }) {
  const { t, i18n } = useTranslation('campaigns');
  const readsAudit = useAllowed(AUDIT_READERS);
  const describe = useDescribeChange();
  const actions = t('actions', { returnObjects: true }) as Record<string, string>;
  const entries = useQuery({
    queryKey: ['campaign', campaign.id, 'audit', campaign.version],
    enabled: readsAudit,
    queryFn: () =>
      ok(
        api.GET('/api/v1/audit-log', {
          params: { query: { entityType: 'campaign', entityId: campaign.id, limit: 200 } },
        }),
      ),
  });
  if (!readsAudit) return <Alert type="info" showIcon title={t('review.noAudit')} />;
  const items = entries.data?.items ?? [];
  const lastApproval = items.findIndex((entry) => entry.action === 'campaign.approve');
  const since = lastApproval === -1 ? items : items.slice(0, lastApproval);
  return (
    <Table<AuditEntry>
      rowKey="id"
      size="small"
      loading={entries.isPending}
      dataSource={since}
      pagination={false}
      locale={{ emptyText: t('review.noChanges') }}
      columns={[
        { title: t('review.at'), render: (_, entry) => formatDateTime(entry.at, i18n.language), width: 180 },
        { title: t('review.actor'), render: (_, entry) => entry.actorUsername ?? entry.actorRole, width: 120 },
        { title: t('review.action'), render: (_, entry) => actions[entry.action] ?? entry.action, width: 140 },
        {
          title: t('review.what'),
          render: (_, entry) => {
            const lines = describe(entry);
            return lines.length ? lines.map((line) => <div key={line}>{line}</div>) : t('review.nothing');
          },
        },
      ]}
    />
  );
}

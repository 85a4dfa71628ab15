import { useQuery } from '@tanstack/react-query';
import { Button, Tabs } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ok, serverNow } from '@quan/web-api';
import { formatDateTime } from '@quan/web-core';
import { QueryView } from '../components/query-view';
import { RuleLines } from '../components/rule-lines';
import { queryClient } from '../query';
import { api, session } from '../runtime';
import type { Voucher } from '../types';

type Group = 'usable' | 'used' | 'expired';
const GROUPS: Group[] = ['usable', 'used', 'expired'];

/** The api answers a claimed voucher past its validity as expired; revoked ones sit with the expired. */
function groupOf(voucher: Voucher): Group {
  if (voucher.status === 'claimed') return 'usable';
  return voucher.status === 'redeemed' ? 'used' : 'expired';
}

export function useVouchers() {
  return useQuery({ queryKey: ['vouchers'], queryFn: () => ok(api.GET('/api/v1/me/vouchers')) });
}

export function VoucherItem({ voucher }: { voucher: Voucher }) {
  const { t, i18n } = useTranslation('resident');
  const validity =
    voucher.status === 'revoked'
      ? t('wallet.revoked')
      : Date.parse(voucher.validFrom) > serverNow()
        ? t('wallet.validBetween', {
            from: formatDateTime(voucher.validFrom, i18n.language),
            until: formatDateTime(voucher.validUntil, i18n.language),
          })
        : t('wallet.validUntil', { time: formatDateTime(voucher.validUntil, i18n.language) });
  return (
    <li className="q-card">
      <div className="q-row">
        <span className="q-muted">{voucher.campaignName}</span>
        <Link
          className="q-link"
          to={`/wallet/${voucher.id}`}
          aria-label={`${t('wallet.open')} ${voucher.name} ${voucher.shortCode}`}
        >
          {t('wallet.open')} ›
        </Link>
      </div>
      <RuleLines rule={voucher} validity={validity} />
    </li>
  );
}

/** Ends the session on this phone (a phone shared in a family): the api forgets the refresh token. */
function LogoutButton() {
  const { t } = useTranslation('resident');
  const navigate = useNavigate();
  async function logOut() {
    const refreshToken = session.refreshToken();
    // Signed out here whatever the api answers: an unreachable api must not keep the phone signed in.
    if (refreshToken) await api.POST('/api/v1/auth/logout', { body: { refreshToken } }).catch(() => undefined);
    session.clear();
    queryClient.clear();
    navigate('/login', { replace: true });
  }
  return (
    <Button block size="large" onClick={() => void logOut()} style={{ marginTop: 24 }}>
      {t('nav.logout')}
    </Button>
  );
}

export function Component() {
  const { t } = useTranslation('resident');
  const vouchers = useVouchers();
  return (
    <>
      <h2>{t('wallet.title')}</h2>
      <QueryView query={vouchers}>
        {(list) => (
          <Tabs defaultActiveKey="usable">
            {GROUPS.map((group) => {
              const items = list.filter((voucher) => groupOf(voucher) === group);
              return (
                <Tabs.Tab key={group} title={`${t(`wallet.${group}`)} (${items.length})`}>
                  {items.length === 0 ? (
                    <p className="q-card">{t('wallet.empty')}</p>
                  ) : (
                    <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t(`wallet.${group}`)}>
                      {items.map((voucher) => (
                        <VoucherItem key={voucher.id} voucher={voucher} />
                      ))}
                    </ul>
                  )}
                </Tabs.Tab>
              );
            })}
          </Tabs>
        )}
      </QueryView>
      <LogoutButton />
    </>
  );
}

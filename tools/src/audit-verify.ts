import { configWith, loadConfigOrExit } from '@quan/config';
import { createDataSource, verifyAuditChain } from '@quan/data';
import { stopChildren } from './processes';
import { runTool } from './run-tool';
import { ensurePostgres, ProvisioningError, say } from './services';

/** `--anchor ID=HASH` (repeatable): a hash of entry ID kept outside the database, e.g. copied from GET /audit-log/head. */
function anchorsOf(args: string[]): { id: string; hash: string }[] {
  return args
    .map((arg, index) => {
      if (arg !== '--anchor') {
        if (args[index - 1] === '--anchor') return null;
        throw new ProvisioningError(`usage: npm run audit:verify [-- --anchor ID=HASH ...]; unexpected ${arg}`);
      }
      const match = /^(\d{1,19})=([0-9a-f]{64})$/.exec(args[index + 1] ?? '');
      if (!match) throw new ProvisioningError('--anchor takes ID=HASH: an entry id and its 64-character hex hash');
      return { id: match[1], hash: match[2] };
    })
    .filter((anchor) => anchor !== null);
}

/**
 * `npm run audit:verify`: walks the audit chain of DATABASE_URL oldest first and names the first broken
 * link; exits 1 when there is one. Anchors kept elsewhere can be checked too.
 */
runTool(async () => {
  // Through npm the arguments follow `tools/bootstrap.cjs audit-verify`; run directly, the script's path.
  const args = process.argv.slice(2);
  if (args[0] === 'audit-verify') args.shift();
  const anchors = anchorsOf(args);
  const config = loadConfigOrExit();
  const dataSource = createDataSource(
    configWith(config, { DATABASE_URL: await ensurePostgres(config), DATABASE_POOL_SIZE: 1 }),
  );
  await dataSource.initialize();
  try {
    const { entries, head, broken } = await verifyAuditChain(dataSource, anchors);
    if (broken) {
      process.stderr.write(
        `audit chain broken at entry ${broken.id}: ${broken.problem} (${entries} entries before it hold)\n`,
      );
      process.exitCode = 1;
    } else {
      say(
        `audit chain holds: ${entries} entries, head ${head.id ?? 'none'} ${head.hash}${anchors.length ? `, ${anchors.length} anchor(s) match` : ''}`,
      );
    }
  } finally {
    await dataSource.destroy();
    await stopChildren();
  }
});

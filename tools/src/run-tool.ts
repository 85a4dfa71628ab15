import { ProvisioningError } from './services';
import { stopChildren } from './processes';

/** Runs a tool's main; a failure prints one line (no stack for expected problems), stops children, exits 1. */
export function runTool(main: () => Promise<void>): void {
  main().catch(async (error: unknown) => {
    const message =
      error instanceof ProvisioningError || !(error instanceof Error)
        ? String(error instanceof Error ? error.message : error)
        : error.stack;
    process.stderr.write(`${message}\n`);
    await stopChildren();
    process.exit(1);
  });
}

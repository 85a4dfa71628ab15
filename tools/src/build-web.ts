import { runTool } from './run-tool';
import { buildWebApps } from './web-build';

/** `npm run build:web`: builds every web app into dist/web/<app>, whether or not its sources changed. */
runTool(async () => {
  await buildWebApps({ force: true });
});

// The shared web build config lives in tools/ (a node project); a config file is the one place that may reach it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { webAppConfig } from '../../tools/vite/web-app-config';

export default webAppConfig({ app: 'till', base: '/till/' });

// The shared web build config lives in tools/ (a node project); a config file is the one place that may reach it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { webAppConfig } from '../../tools/vite/web-app-config';

/**
 * ECharts is large and only the dashboard draws: a chunk of its own, loaded with it. antd is left to the
 * bundler's splitting, so a screen loads the components it uses (a single antd chunk would load every
 * component of every screen at sign-in).
 */
export default webAppConfig({
  app: 'console',
  chunks: [{ name: 'echarts', test: /node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor)[\\/]/ }],
});

// The shared web build config lives in tools/ (a node project); a config file is the one place that may reach it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { webAppConfig } from '../../tools/vite/web-app-config';

/** antd (with its rc components and dayjs) and ECharts change rarely and are large: each in a chunk of its own. */
export default webAppConfig({
  app: 'console',
  chunks: [
    { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|dayjs|@babel[\\/]runtime)[\\/]/ },
    { name: 'echarts', test: /node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor)[\\/]/ },
  ],
});

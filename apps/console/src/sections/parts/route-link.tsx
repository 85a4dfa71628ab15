import { theme } from 'antd';
import { Link, type LinkProps } from 'react-router';

/**
 * A router link in the theme's link colour: a plain <a> takes antd's default blue, which is below AA
 * contrast on white; the console's theme token is not.
 */
export function RouteLink(props: LinkProps) {
  const { token } = theme.useToken();
  return <Link {...props} style={{ color: token.colorLink, ...props.style }} />;
}

import './base.css';

export * from './language-button';
export * from './mobile-locale';
export * from './route-states';
export * from './session-routes';
export * from './tab-bar';
export * from './use-online';
export * from './web-app-root';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
// After @quan/web-ui's base.css (imported by app.tsx's modules), so the till's theme overrides it.
import './theme.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

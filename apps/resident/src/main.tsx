import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { applyCareMode } from './preferences';
import './theme.css';

// Before the first paint, so 关怀模式 never flashes the small theme.
applyCareMode();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

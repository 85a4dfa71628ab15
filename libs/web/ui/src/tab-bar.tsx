import { NavLink } from 'react-router';

export interface Tab {
  to: string;
  label: string;
  /** Active only on exactly this path (for "/"), not below it. */
  end?: boolean;
}

/** The bottom tab bar of an app's main screens (`.q-tabs` in base.css); the current tab is marked `active`. */
export function TabBar({ tabs, label }: { tabs: readonly Tab[]; label: string }) {
  return (
    <nav className="q-tabs" aria-label={label}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end={tab.end ?? false}>
          {tab.label}
        </NavLink>
      ))}
    </nav>
  );
}

import type { ConsoleSection } from './section';

/** The menu's order by section key, whatever the order the sections register in; unknown keys go last. */
const MENU_ORDER = [
  'dashboard',
  'reports',
  'monitor',
  'campaigns',
  'merchants',
  'agents',
  'risk',
  'settlement',
  'audit',
  'staff',
];

const registered: ConsoleSection[] = [];

/** Called by each section's index.ts with its definition (and, beside it, addSectionTexts for its texts). */
export function registerSection(section: ConsoleSection): ConsoleSection {
  if (registered.some((known) => known.key === section.key))
    throw new Error(`console section ${section.key} registered twice`);
  registered.push(section);
  return section;
}

const rank = (section: ConsoleSection) => {
  const index = MENU_ORDER.indexOf(section.key);
  return index === -1 ? MENU_ORDER.length : index;
};

export function registeredSections(): readonly ConsoleSection[] {
  return [...registered].sort((a, b) => rank(a) - rank(b));
}

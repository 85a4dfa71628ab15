import { registeredSections } from './registry';
// One line per section (`import './<key>';`): its index.ts registers the section and its texts.
// The menu follows MENU_ORDER (registry.ts), whatever the order of these lines.
import './campaigns';
import './merchants';
import './settlement';
import './audit';
import './staff';
import './dashboard';
import './reports';
import './monitor';
import './agents';
import './risk';

export type { ConsoleSection, StaffRole } from './section';

/** Every section of the console, in menu order (imports run before this line, so all have registered). */
export const SECTIONS = registeredSections();

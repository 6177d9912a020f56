/**
 * The sidebars' server API is derived from src/main.ts's exports in src/ui/server.ts; this
 * name remains for the modules that still import it from here.
 */
export type { SidebarServerApi } from '../ui/server';

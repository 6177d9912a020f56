/** Types for scripts/check-cycles.mjs, so its tests can call it. */
export declare function importGraph(dir: string): Map<string, string[]>;
export declare function findCycles(graph: Map<string, string[]>): Array<{ members: string[]; circle: string[] }>;

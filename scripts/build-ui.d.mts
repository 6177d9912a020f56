/** Types for scripts/build-ui.mjs, so the browser tests can build the sidebars themselves. */
export declare const PAGES: ReadonlyArray<{ name: string; title: string; entry: string }>;
export declare function buildUi(distDir: string): Promise<Array<{ file: string; bytes: number }>>;
export declare const STYLESHEETS: readonly string[];

/** Types for scripts/build.mjs, so the test run can build dist/ itself. */
export interface BuiltFile {
  file: string;
  bytes: number;
  budget: number;
}
export declare const BUNDLE_BUDGET: { code: number; sidebar: number };
export declare function build(): Promise<{ entryPoints: string[]; bytes: number; files: BuiltFile[] }>;
export declare function checkBudget(files: BuiltFile[]): { lines: string[]; failures: string[] };

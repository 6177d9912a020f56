/** Types for scripts/build.mjs, so the test run can build dist/ itself. */
export interface BuiltFile {
  file: string;
  bytes: number;
  budget: number;
}
/** One part of Code.js and the bytes it takes. */
export interface BundlePart {
  part: string;
  bytes: number;
}
export declare const BUNDLE_BUDGET: { code: number; sidebar: number };
export declare function build(): Promise<{ entryPoints: string[]; bytes: number; files: BuiltFile[]; parts: BundlePart[] }>;
export declare function checkBudget(files: BuiltFile[]): { lines: string[]; failures: string[] };
export declare function composition(inputs: Record<string, { bytesInOutput: number }>, totalBytes: number): BundlePart[];
export declare function compositionLines(parts: BundlePart[]): string[];

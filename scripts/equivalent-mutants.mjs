// Mutants of src/core that no test can kill because they do not change behaviour. Each entry
// names the file, the exact source text of the expression or statement the mutants sit in, and
// why they are equivalent. The ignorer below skips every mutant inside a node of that file whose
// source is exactly `code` (and, with `within`, whose parent's source is exactly `within`: the
// fallback `''` of `match[1] ?? ''`, not the `??` itself); Stryker reports them as "Ignored" and
// leaves them out of the score.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

/** @type {{ file: string; code: string; within?: string; reason: string }[]} */
export const EQUIVALENT_MUTANTS = [
  {
    file: 'src/core/status.ts',
    code: "if (text === '') return null;",
    reason: 'a shortcut: no status is called "", so the loop below returns null for an empty cell too',
  },
  {
    file: 'src/core/limiter.ts',
    code: 'if (!text) return emptyLimiter();',
    reason: 'a shortcut: JSON.parse of "" throws and null fails the schema, and the catch returns emptyLimiter() as well',
  },
  {
    file: 'src/core/reconcile.ts',
    code: '[]',
    within: 'p.transactions ?? []',
    reason:
      'the fallback of `p.transactions ?? []`: a list holding a string instead is the same, since a string has no extraData and `?.` reads undefined from it',
  },
  {
    file: 'src/core/reconcile.ts',
    code: 'candidates.length === 1',
    reason: 'the row itself is open and unanswered, so `twins` is at least 1 and `candidates.length <= twins` already holds for one candidate',
  },
  {
    file: 'src/core/reconcile.ts',
    code: 'chosen',
    reason: 'the `if (chosen)` guard is for the type checker: candidates is not empty there, so the oldest of them always exists',
  },
  {
    file: 'src/core/amount.ts',
    code: "let fractionDigits = '';",
    reason: 'any other start without digits 1-9 and not three long reads the same: the whole-number branches never set the fraction',
  },
  {
    file: 'src/core/amount.ts',
    code: '/\\s+/g',
    reason: 'removing every run of whitespace or every whitespace character one by one leaves the same text',
  },
  {
    file: 'src/core/amount.ts',
    code: "''",
    within: "match[1] ?? ''",
    reason: 'the regex matched, so its first group always took part: the fallback is for the type checker',
  },
  {
    file: 'src/core/amount.ts',
    code: "''",
    within: "match[2] ?? ''",
    reason: 'the regex matched, so its second group always took part: the fallback is for the type checker',
  },
  {
    file: 'src/core/amount.ts',
    code: "''",
    within: "tag.split('_')[0] ?? ''",
    reason: 'split always returns at least one part: the fallback is for the type checker',
  },
  {
    file: 'src/core/webhook-trust.ts',
    code: "if (typeof value !== 'object' || value === null) return {};",
    reason: 'a shortcut: a number or text has no entries to keep, and null makes the lines below throw into the catch, which returns {} as well',
  },
  {
    file: 'src/core/webhook-trust.ts',
    code: "'{}'",
    within: "text ?? '{}'",
    reason: 'no stored text: any other fallback either parses to nothing to keep or throws into the catch, which returns {} as well',
  },
  {
    file: 'src/core/webhook-trust.ts',
    code: "''",
    within: "sample: ''",
    reason: 'the sample of a count with nothing pending: the next webhook counted replaces it before a line (which needs one pending) is written',
  },
];

function matches(path) {
  const file = path.hub?.file?.opts?.filename ?? '';
  const node = path.node;
  if (!node.loc) return undefined;
  const source = path.hub?.file?.code ?? '';
  const text = source.slice(node.start ?? 0, node.end ?? 0);
  for (const entry of EQUIVALENT_MUTANTS) {
    if (!file.replaceAll('\\', '/').endsWith(entry.file)) continue;
    if (text !== entry.code) continue;
    const parent = path.parentPath?.node;
    if (entry.within !== undefined && (!parent || source.slice(parent.start ?? 0, parent.end ?? 0) !== entry.within)) continue;
    return `equivalent: ${entry.reason}`;
  }
  return undefined;
}

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, 'equivalent-mutants', { shouldIgnore: matches })];

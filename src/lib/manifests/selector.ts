import { KtxError } from '../errors.js';

/** One term of a label selector. */
export type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

/** A label selector that does not parse; the message follows apimachinery's wording. */
export class LabelSelectorError extends KtxError {
  override name = 'LabelSelectorError';
}

/** Splits on commas that are not inside `( … )`. */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

/**
 * Parses a label selector as the apiserver reads `labelSelector`: `k=v`, `k==v`, `k!=v`,
 * `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, ANDed with commas.
 */
export function parseLabelSelector(text: string): LabelRequirement[] {
  return splitTerms(text).map((term) => {
    let m = /^([^\s=!(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (m) return { key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()).filter(Boolean) };
    m = /^([^\s=!(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(term);
    if (m) return { key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] };
    m = /^!\s*([^\s=!(),]+)$/.exec(term);
    if (m) return { key: m[1]!, op: 'notexists' };
    m = /^([^\s=!(),]+)$/.exec(term);
    if (m) return { key: m[1]!, op: 'exists' };
    throw new LabelSelectorError(`unable to parse requirement: found '${term}', expected: key, !key, key=value, key!=value, key in (…), key notin (…)`);
  });
}

/** Whether labels satisfy every requirement (an empty selector matches everything). */
export function matchesLabels(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
    }
  });
}

/**
 * The part of MLflow's run search syntax (`mlflow.search_runs(filter_string=...)`) that
 * `ecode report --experiment <name> --filter '...'` uses: comparisons joined by AND.
 *
 *   params.model.variant = "e-code" AND metrics.test/passRate > 0.3 AND tags.`ecode.sweep` != 'smoke'
 *
 * Keys: `params.<key>`, `tags.<key>`, `metrics.<key>` (the latest value), `attributes.<name>`
 * (status, run_name, run_id, start_time, end_time); `param`, `tag`, `metric`, `attribute`, `attr`
 * and `run` are accepted as MLflow accepts them. A key may be quoted with backticks or double
 * quotes when it holds characters other than letters, digits, `_ - . /`. As in MLflow: params,
 * tags and string attributes compare as strings with = != LIKE ILIKE (% any run of characters,
 * _ one character); metrics and times compare as numbers with = != < <= > >=. OR is not part of
 * MLflow's syntax and is refused.
 */
import { metricKeyOf } from '@ecode/config';
import type { Run } from '@ecode/tracking';

type Entity = 'params' | 'tags' | 'metrics' | 'attributes';
type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE';

export interface FilterClause {
  entity: Entity;
  key: string;
  op: Op;
  value: string | number;
}

const ENTITY: Record<string, Entity> = {
  params: 'params',
  param: 'params',
  tags: 'tags',
  tag: 'tags',
  metrics: 'metrics',
  metric: 'metrics',
  attributes: 'attributes',
  attribute: 'attributes',
  attr: 'attributes',
  run: 'attributes',
};
const STRING_ATTRIBUTES = ['status', 'run_name', 'run_id', 'artifact_uri', 'user_id', 'lifecycle_stage'];
const NUMBER_ATTRIBUTES = ['start_time', 'end_time'];

export class FilterSyntaxError extends Error {}

/** Parses a filter string; throws FilterSyntaxError saying what was expected where. */
export function parseFilter(text: string): FilterClause[] {
  let i = 0;
  const fail = (what: string): never => {
    throw new FilterSyntaxError(
      `--filter: ${what} at character ${i + 1}: ${JSON.stringify(text.slice(0, i))} <here> ${JSON.stringify(text.slice(i))}`,
    );
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const quoted = (q: string): string => {
    i++;
    const start = i;
    while (i < text.length && text[i] !== q) i++;
    if (i >= text.length) fail(`an unclosed ${q}`);
    return text.slice(start, i++);
  };
  const clauses: FilterClause[] = [];
  ws();
  if (i >= text.length) fail('an empty filter');
  for (;;) {
    ws();
    const ent = /^[A-Za-z_]+/.exec(text.slice(i))?.[0] ?? '';
    const entity = ENTITY[ent.toLowerCase()];
    if (!entity || text[i + ent.length] !== '.')
      fail('expected params.<key>, tags.<key>, metrics.<key> or attributes.<name>');
    i += ent.length + 1;
    let key: string;
    if (text[i] === '`' || text[i] === '"') key = quoted(text[i]);
    else {
      key = /^[A-Za-z0-9_\-./]+/.exec(text.slice(i))?.[0] ?? '';
      if (!key) fail('expected a key after the dot');
      i += key.length;
    }
    ws();
    const op = /^(!=|<=|>=|=|<|>|ILIKE\b|LIKE\b)/i.exec(text.slice(i))?.[0];
    if (!op) fail('expected one of = != < <= > >= LIKE ILIKE');
    i += op!.length;
    const opU = op!.toUpperCase() as Op;
    ws();
    let value: string | number;
    if (text[i] === '"' || text[i] === "'") value = quoted(text[i]);
    else {
      const num = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i))?.[0];
      if (!num) fail('expected a quoted string or a number');
      value = Number(num);
      i += num!.length;
    }
    const numeric = entity === 'metrics' || (entity === 'attributes' && NUMBER_ATTRIBUTES.includes(key));
    if (entity === 'attributes' && !STRING_ATTRIBUTES.includes(key) && !NUMBER_ATTRIBUTES.includes(key))
      fail(
        `unknown attribute ${JSON.stringify(key)} (known: ${[...STRING_ATTRIBUTES, ...NUMBER_ATTRIBUTES].join(', ')})`,
      );
    if (numeric && (opU === 'LIKE' || opU === 'ILIKE'))
      fail(`${entity}.${key} is a number: LIKE and ILIKE compare strings`);
    if (numeric && typeof value !== 'number') fail(`${entity}.${key} is a number: compare it with a number`);
    if (!numeric && !['=', '!=', 'LIKE', 'ILIKE'].includes(opU))
      fail(`${entity}.${key} is a string: use = != LIKE or ILIKE (MLflow compares strings only so)`);
    if (!numeric && typeof value !== 'string') fail(`${entity}.${key} is a string: quote the value`);
    clauses.push({ entity, key, op: opU, value });
    ws();
    if (i >= text.length) return clauses;
    const and = /^AND\b/i.exec(text.slice(i));
    if (!and)
      fail(
        /^OR\b/i.test(text.slice(i))
          ? 'OR is not supported (MLflow filters join clauses with AND only)'
          : 'expected AND',
      );
    i += 3;
  }
}

function likeToRegExp(pattern: string, flags: string): RegExp {
  const body = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${body}$`, flags);
}

function attribute(run: Run, key: string): string | number | null {
  const info = run.info;
  switch (key) {
    case 'status':
      return info.status;
    case 'run_name':
      return info.runName;
    case 'run_id':
      return info.runId;
    case 'artifact_uri':
      return info.artifactUri;
    case 'user_id':
      return info.userId;
    case 'lifecycle_stage':
      return info.lifecycleStage;
    case 'start_time':
      return info.startTime;
    default:
      return info.endTime;
  }
}

/**
 * A metric's latest value, by its id or by the name runs logged before the ids were unified
 * (`test/allPassRate` finds an old run's name for it, and the old name a new run's id).
 */
function metricValue(run: Run, key: string): number | undefined {
  const exact = run.data.metrics[key]?.value;
  if (exact !== undefined) return exact;
  const id = metricKeyOf(key);
  for (const [k, m] of Object.entries(run.data.metrics)) if (metricKeyOf(k) === id) return m.value;
  return undefined;
}

/** Whether a run satisfies every clause (a missing param, tag or metric fails its clause, as in MLflow). */
export function matchesFilter(run: Run, clauses: readonly FilterClause[]): boolean {
  return clauses.every((c) => {
    const actual =
      c.entity === 'params'
        ? run.data.params[c.key]
        : c.entity === 'tags'
          ? run.data.tags[c.key]
          : c.entity === 'metrics'
            ? metricValue(run, c.key)
            : attribute(run, c.key);
    if (actual === undefined || actual === null) return false;
    if (c.op === 'LIKE' || c.op === 'ILIKE')
      return likeToRegExp(String(c.value), c.op === 'ILIKE' ? 'is' : 's').test(String(actual));
    const [a, b] = typeof c.value === 'number' ? [Number(actual), c.value] : [String(actual), c.value];
    switch (c.op) {
      case '=':
        return a === b;
      case '!=':
        return a !== b;
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      default:
        return a >= b;
    }
  });
}

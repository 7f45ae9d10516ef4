/**
 * Reads the GraphQL examples of a markdown guide (docs/api-guide.md) so a
 * test can run each one and compare its answer with the guide's excerpt.
 *
 * The guide's convention (also written at the top of the guide):
 *
 *     <!-- example as=demo-user-1 -->
 *     ```graphql
 *     query ... { ... }
 *     ```
 *     ```json variables          (optional)
 *     { "first": 2 }
 *     ```
 *     ```json answer
 *     { "data": { ... } }        (an excerpt of the answer)
 *     ```
 *
 * - `as=` names the caller: `demo-user-N` (a user token for that sub),
 *   `support` (scope poco:support), `privacy` (scope poco:privacy),
 *   `anonymous` (no token).
 * - A variable value `"<previous: data.a.b>"` is that path of the previous
 *   example's answer (a cursor from the page before, an id found by a lookup).
 * - The answer is an excerpt: an object lists some of the real keys, an array
 *   the first elements of the real one; `"…"` stands for any non-null value
 *   and a string ending in `…` for any string that starts with the rest.
 */
import MarkdownIt from 'markdown-it';

export type Caller = { kind: 'user'; sub: string } | { kind: 'support' } | { kind: 'privacy' } | { kind: 'anonymous' };

export interface GuideExample {
  /** 1-based line of the ```graphql fence. */
  readonly line: number;
  /** The `##` section and `###` heading the example sits under. */
  readonly section: string;
  readonly heading: string;
  readonly caller: Caller;
  readonly query: string;
  readonly variables: Record<string, unknown> | undefined;
  readonly answer: unknown;
}

const EXAMPLE_COMMENT = /^<!--\s*example\s+as=(\S+)\s*-->\s*$/;
const PREVIOUS = /^<previous: ([\w.[\]]+)>$/;

function callerOf(name: string, line: number): Caller {
  if (name === 'support' || name === 'privacy' || name === 'anonymous') return { kind: name };
  if (/^demo-user-\d+$/.test(name) || /^[\w-]+$/.test(name)) return { kind: 'user', sub: name };
  throw new Error(`line ${line}: unknown caller "${name}"`);
}

function parseJson(text: string, what: string, line: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`line ${line}: the ${what} block is not JSON: ${(error as Error).message}`);
  }
}

/** Every ```graphql example of the guide with its caller, variables and answer excerpt; throws on a block that breaks the convention. */
export function parseGuide(markdown: string): GuideExample[] {
  const tokens = new MarkdownIt({ html: true }).parse(markdown, {});
  const examples: GuideExample[] = [];
  let section = '';
  let heading = '';
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (token.type === 'heading_open') {
      const text = tokens[i + 1]?.content ?? '';
      if (token.tag === 'h2') {
        section = text;
        heading = '';
      } else if (token.tag === 'h3') {
        heading = text;
      }
      continue;
    }
    if (token.type !== 'fence' || token.info.trim().split(/\s+/)[0] !== 'graphql') continue;
    const line = (token.map?.[0] ?? 0) + 1;
    const comment = tokens[i - 1];
    const match = comment?.type === 'html_block' ? EXAMPLE_COMMENT.exec(comment.content.trim()) : null;
    if (!match) throw new Error(`line ${line}: a graphql block needs <!-- example as=CALLER --> on the line before it`);
    let variables: Record<string, unknown> | undefined;
    let answer: unknown;
    let hasAnswer = false;
    // The json blocks that follow, up to the next graphql block.
    for (let j = i + 1; j < tokens.length; j += 1) {
      const next = tokens[j]!;
      if (next.type !== 'fence') continue;
      const info = next.info.trim();
      if (info.split(/\s+/)[0] === 'graphql') break;
      const at = (next.map?.[0] ?? 0) + 1;
      if (info === 'json variables' && variables === undefined && !hasAnswer) {
        variables = parseJson(next.content, 'variables', at) as Record<string, unknown>;
      } else if (info === 'json answer' && !hasAnswer) {
        answer = parseJson(next.content, 'answer', at);
        hasAnswer = true;
        break;
      }
    }
    if (!hasAnswer) throw new Error(`line ${line}: the graphql block has no \`\`\`json answer block after it`);
    examples.push({ line, section, heading, caller: callerOf(match[1]!, line), query: token.content, variables, answer });
  }
  return examples;
}

/**
 * The graphql blocks counted without the parser: any fence (``` or ~~~,
 * indented or not) whose info string starts with graphql. Compared with
 * parseGuide's count, so a block the parser would skip fails the test.
 */
export function countGraphqlFences(markdown: string): number {
  return markdown.split('\n').filter((line) => /^\s*(`{3,}|~{3,})\s*graphql\b/i.test(line)).length;
}

/** The value at a dotted path (`data.me.pocoOrders.pageInfo.endCursor`, `data.list.0.id`). */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Variables with every `"<previous: path>"` replaced by that path of the previous answer. */
export function resolveVariables(variables: Record<string, unknown> | undefined, previousAnswer: unknown): Record<string, unknown> | undefined {
  if (variables === undefined) return undefined;
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const reference = PREVIOUS.exec(value);
      if (!reference) return value;
      const found = valueAt(previousAnswer, reference[1]!);
      if (found === undefined) throw new Error(`the previous answer has nothing at ${reference[1]}`);
      return found;
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item)]));
    return value;
  };
  return resolve(variables) as Record<string, unknown>;
}

/** Where `actual` differs from the excerpt (empty: the excerpt is part of the answer). */
export function excerptMismatches(actual: unknown, excerpt: unknown, path = '$'): string[] {
  if (excerpt === '…') return actual === null || actual === undefined ? [`${path}: expected a value, got ${JSON.stringify(actual)}`] : [];
  if (typeof excerpt === 'string' && excerpt.endsWith('…')) {
    const prefix = excerpt.slice(0, -1);
    return typeof actual === 'string' && actual.startsWith(prefix) ? [] : [`${path}: expected a string starting with ${JSON.stringify(prefix)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(excerpt)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    if (actual.length < excerpt.length) return [`${path}: expected at least ${excerpt.length} elements, got ${actual.length}`];
    return excerpt.flatMap((item, index) => excerptMismatches(actual[index], item, `${path}[${index}]`));
  }
  if (excerpt !== null && typeof excerpt === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(excerpt).flatMap(([key, item]) =>
      key in actual ? excerptMismatches((actual as Record<string, unknown>)[key], item, `${path}.${key}`) : [`${path}.${key}: missing`],
    );
  }
  return Object.is(actual, excerpt) ? [] : [`${path}: expected ${JSON.stringify(excerpt)}, got ${JSON.stringify(actual)}`];
}

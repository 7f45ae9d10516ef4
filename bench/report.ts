/**
 * The benchmark's outputs under bench/results/: the full figures as JSON, a
 * small Markdown table, and an SVG of the latency distributions (percentile
 * curves, log scale), written by hand to need no plotting library.
 */
import type { Histogram } from 'hdr-histogram-js';

export type Variant = 'ours' | 'floor' | 'naive';

/** Percentiles drawn in the chart and kept in the JSON. */
export const CURVE_PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9, 100] as const;

export interface RunFigures {
  variant: Variant;
  requests: number;
  errors: number;
  graphqlErrors: number;
  durationMs: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  dbCommandsPerRequest: number;
  dbMsPerRequest: number;
  /** Documents the database's replies carried, per request (cursor batches of find/aggregate/getMore). */
  documentsPerRequest?: number;
  /**
   * CPU time (user + system) per request: of the server process for ours/naive (process.cpuUsage),
   * of the bench process replaying the commands plus JSON.stringify of the response for the floor.
   */
  cpuMsPerRequest?: number;
  /** Largest resident set size of the server process seen during the run (ours and naive). */
  maxRssMb?: number;
  /** Latency (ms) at each of CURVE_PERCENTILES. */
  curve: number[];
  /** Why the run was cut short or skipped, if it was. */
  note?: string;
}

export interface ScenarioFigures {
  scenario: string;
  title: string;
  users: number;
  runs: Partial<Record<Variant, RunFigures>>;
  /** The commands ours issued for the scenario's first request, measured alone. */
  oursCommands?: string[];
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  database: string;
  node: string;
  cpus: number;
  seed: number;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  sizes: number[];
  dataset: Record<string, { seedSeconds: number | null; documents: Record<string, number> }>;
  scenarios: ScenarioFigures[];
  /** Issue 9's heavy-user scenarios (e, f): the same request for heavy and for light users. */
  heavy?: HeavyFigures[];
  notes: string[];
}

export interface HeavyFigures {
  scenario: string;
  title: string;
  population: 'heavy' | 'light';
  /** The dataset: light users, heavy users and each heavy user's size. */
  dataset: string;
  /** Accounts merged into the request's lists (summed over its users). */
  accounts: number;
  ours: RunFigures;
  floor: RunFigures;
  /** Documents the paged collections' replies carried per request (page documents, sort keys, count rows). */
  pageDocumentsPerRequest: number;
  /** Σ over the lists of (first + 1) × accounts, plus one count row per account and list, plus one probe per list. */
  pageDocumentsBound: number;
}

export function figuresOf(
  variant: Variant,
  histogram: Histogram,
  run: {
    requests: number;
    errors: number;
    graphqlErrors: number;
    durationMs: number;
    commands: number;
    dbMs: number;
    documents?: number;
    cpuMs?: number;
    maxRssMb?: number;
    note?: string;
  },
): RunFigures {
  const ms = (percentile: number): number => (run.requests === 0 ? NaN : histogram.getValueAtPercentile(percentile) / 1000);
  return {
    variant,
    requests: run.requests,
    errors: run.errors,
    graphqlErrors: run.graphqlErrors,
    durationMs: Math.round(run.durationMs),
    rps: run.durationMs > 0 ? (run.requests * 1000) / run.durationMs : 0,
    p50Ms: ms(50),
    p95Ms: ms(95),
    p99Ms: ms(99),
    maxMs: run.requests === 0 ? NaN : histogram.maxValue / 1000,
    dbCommandsPerRequest: run.requests === 0 ? NaN : run.commands / run.requests,
    dbMsPerRequest: run.requests === 0 ? NaN : run.dbMs / run.requests,
    ...(run.documents !== undefined ? { documentsPerRequest: run.requests === 0 ? NaN : run.documents / run.requests } : {}),
    ...(run.cpuMs !== undefined ? { cpuMsPerRequest: run.requests === 0 ? NaN : run.cpuMs / run.requests } : {}),
    ...(run.maxRssMb !== undefined ? { maxRssMb: run.maxRssMb } : {}),
    curve: CURVE_PERCENTILES.map((percentile) => ms(percentile)),
    ...(run.note ? { note: run.note } : {}),
  };
}

function fixed(value: number | undefined, digits = 1): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

function ratio(numerator: number | undefined, denominator: number | undefined): number | undefined {
  if (numerator === undefined || denominator === undefined || !Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) {
    return undefined;
  }
  return numerator / denominator;
}

export interface Ratios {
  oursOverFloorP50?: number;
  /** CPU time per request, ours over the floor's: the GraphQL layer's own cost. */
  oursOverFloorCpu?: number;
  naiveOverOursRps?: number;
  p50LargeOverSmall?: number;
}

export function ratiosOf(results: BenchResults, figures: ScenarioFigures): Ratios {
  const ours = figures.runs.ours;
  const largest = Math.max(...results.sizes);
  const smallest = Math.min(...results.sizes);
  const counterpart = results.scenarios.find(
    (other) => other.scenario === figures.scenario && other.users === (figures.users === largest ? smallest : largest),
  );
  const out: Ratios = {};
  const oursOverFloor = ratio(ours?.p50Ms, figures.runs.floor?.p50Ms);
  if (oursOverFloor !== undefined) out.oursOverFloorP50 = oursOverFloor;
  const cpuRatio = ratio(ours?.cpuMsPerRequest, figures.runs.floor?.cpuMsPerRequest);
  if (cpuRatio !== undefined) out.oursOverFloorCpu = cpuRatio;
  const naiveOverOurs = ratio(ours?.rps, figures.runs.naive?.rps);
  if (naiveOverOurs !== undefined) out.naiveOverOursRps = naiveOverOurs;
  if (figures.users === largest && counterpart) {
    const growth = ratio(ours?.p50Ms, counterpart.runs.ours?.p50Ms);
    if (growth !== undefined) out.p50LargeOverSmall = growth;
  }
  return out;
}

export function markdownTable(results: BenchResults): string {
  const lines = [
    `Benchmark of ${results.startedAt} on ${results.database}, Node ${results.node}, ${results.cpus} CPUs, ` +
      `${results.connections} connections, ${results.durationSeconds} s per run after ${results.warmupSeconds} s warm-up, seed ${results.seed}.`,
    '',
    '| scenario | users | variant | req | rps | p50 ms | p95 ms | p99 ms | db cmds/req | db docs/req | db ms/req | CPU ms/req | max RSS MB | ours/floor p50 | ours/floor CPU | naive/ours (rps ours÷naive) | p50 largest/smallest size |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const figures of results.scenarios) {
    const ratios = ratiosOf(results, figures);
    for (const variant of ['ours', 'floor', 'naive'] as const) {
      const run = figures.runs[variant];
      if (!run) continue;
      const isOurs = variant === 'ours';
      lines.push(
        `| ${figures.scenario} | ${figures.users} | ${variant}${run.note ? ` (${run.note})` : ''} | ${run.requests} | ${fixed(run.rps, 2)} | ${fixed(run.p50Ms)} | ${fixed(run.p95Ms)} | ${fixed(run.p99Ms)} | ` +
          `${fixed(run.dbCommandsPerRequest, 1)} | ${fixed(run.documentsPerRequest, 0)} | ${fixed(run.dbMsPerRequest)} | ${fixed(run.cpuMsPerRequest)} | ${fixed(run.maxRssMb, 0)} | ` +
          `${isOurs ? fixed(ratios.oursOverFloorP50, 2) : ''} | ${isOurs ? fixed(ratios.oursOverFloorCpu, 1) : ''} | ${isOurs ? fixed(ratios.naiveOverOursRps, 1) : ''} | ${isOurs ? fixed(ratios.p50LargeOverSmall, 2) : ''} |`,
      );
    }
  }
  const largest = Math.max(...results.sizes);
  const withCommands = results.scenarios.filter((figures) => figures.users === largest && figures.oursCommands);
  if (withCommands.length > 0) {
    lines.push('', `Database commands of one request of ours at ${largest} users, alone (command, collection, filter keys, time):`, '');
    for (const figures of withCommands) {
      lines.push(`- ${figures.scenario}: ${figures.oursCommands!.map((command) => `\`${command}\``).join(', ')}`);
    }
  }
  if (results.heavy && results.heavy.length > 0) {
    lines.push(
      '',
      'Heavy users (issue 9): the same request for heavy and for light users, a fixed number of requests each.',
      '',
      '| scenario | users | dataset | accounts in the lists | db cmds/req | db docs/req (all) | page docs/req (paged collections) | bound (first+1)×accounts+rows | p50 ms | floor p50 ms | max RSS MB | CPU ms/req ours | CPU ms/req floor | ours/floor CPU |',
      '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const heavy of results.heavy) {
      lines.push(
        `| ${heavy.scenario}: ${heavy.title} | ${heavy.population} | ${heavy.dataset} | ${heavy.accounts} | ${fixed(heavy.ours.dbCommandsPerRequest, 1)} | ` +
          `${fixed(heavy.ours.documentsPerRequest, 0)} | ${fixed(heavy.pageDocumentsPerRequest, 0)} | ${heavy.pageDocumentsBound} | ${fixed(heavy.ours.p50Ms)} | ` +
          `${fixed(heavy.floor.p50Ms)} | ${fixed(heavy.ours.maxRssMb, 0)} | ${fixed(heavy.ours.cpuMsPerRequest)} | ${fixed(heavy.floor.cpuMsPerRequest)} | ` +
          `${fixed(ratio(heavy.ours.cpuMsPerRequest, heavy.floor.cpuMsPerRequest), 1)} |`,
      );
    }
  }
  if (results.notes.length > 0) {
    lines.push('', ...results.notes.map((note) => `- ${note}`));
  }
  lines.push('', '![latency distributions](latest.svg)', '');
  return lines.join('\n');
}

const COLORS: Record<Variant, string> = { ours: '#1f77b4', floor: '#2ca02c', naive: '#d62728' };

/** Percentile curves per scenario: x = percentile, y = latency (log); solid = largest size, dashed = smaller. */
export function latencySvg(results: BenchResults): string {
  const scenarioIds = [...new Set(results.scenarios.map((figures) => figures.scenario))];
  const panelWidth = 360;
  const panelHeight = 240;
  const margin = { left: 66, right: 12, top: 28, bottom: 36 };
  const width = scenarioIds.length * (panelWidth + margin.left + margin.right);
  const height = panelHeight + margin.top + margin.bottom + 40;
  const largest = Math.max(...results.sizes);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  scenarioIds.forEach((scenarioId, panel) => {
    const x0 = panel * (panelWidth + margin.left + margin.right) + margin.left;
    const y0 = margin.top;
    const series = results.scenarios.filter((figures) => figures.scenario === scenarioId);
    const values = series.flatMap((figures) => Object.values(figures.runs).flatMap((run) => run?.curve ?? [])).filter((v) => Number.isFinite(v) && v > 0);
    const low = Math.pow(10, Math.floor(Math.log10(Math.min(...values, 10_000))));
    const high = Math.pow(10, Math.ceil(Math.log10(Math.max(...values, 10))));
    const y = (ms: number): number => y0 + panelHeight - ((Math.log10(Math.max(ms, low)) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))) * panelHeight;
    const x = (index: number): number => x0 + (index / (CURVE_PERCENTILES.length - 1)) * panelWidth;
    parts.push(`<text x="${x0}" y="${y0 - 10}" font-weight="bold">${escapeXml(`${scenarioId}: ${series[0]?.title ?? ''}`)}</text>`);
    parts.push(`<rect x="${x0}" y="${y0}" width="${panelWidth}" height="${panelHeight}" fill="none" stroke="#999"/>`);
    for (let decade = low; decade <= high; decade *= 10) {
      parts.push(`<line x1="${x0}" x2="${x0 + panelWidth}" y1="${y(decade)}" y2="${y(decade)}" stroke="#eee"/>`);
      parts.push(`<text x="${x0 - 4}" y="${y(decade) + 4}" text-anchor="end">${decade >= 1 ? decade : decade.toFixed(2)} ms</text>`);
    }
    CURVE_PERCENTILES.forEach((percentile, index) => {
      parts.push(`<text x="${x(index)}" y="${y0 + panelHeight + 14}" text-anchor="middle">${percentile}</text>`);
    });
    parts.push(`<text x="${x0 + panelWidth / 2}" y="${y0 + panelHeight + 28}" text-anchor="middle">percentile</text>`);
    for (const figures of series) {
      for (const [variant, run] of Object.entries(figures.runs) as [Variant, RunFigures][]) {
        const points = run.curve
          .map((ms, index) => (Number.isFinite(ms) ? `${x(index).toFixed(1)},${y(ms).toFixed(1)}` : undefined))
          .filter((point): point is string => point !== undefined);
        if (points.length < 2) continue;
        const dash = figures.users === largest ? '' : ' stroke-dasharray="5,3"';
        parts.push(`<polyline fill="none" stroke="${COLORS[variant]}" stroke-width="1.8"${dash} points="${points.join(' ')}"/>`);
      }
    }
  });
  const legendY = height - 12;
  let legendX = margin.left;
  for (const variant of ['ours', 'floor', 'naive'] as const) {
    parts.push(`<line x1="${legendX}" x2="${legendX + 24}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${COLORS[variant]}" stroke-width="2"/>`);
    parts.push(`<text x="${legendX + 30}" y="${legendY}">${variant}</text>`);
    legendX += 90;
  }
  parts.push(`<text x="${legendX}" y="${legendY}">solid: ${largest} users; dashed: ${results.sizes.filter((size) => size !== largest).join(', ')} users</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

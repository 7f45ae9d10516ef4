/**
 * Re-renders bench/results/latest.md and latest.svg from latest.json (or the
 * JSON file given), e.g. after a change to the report's layout:
 * `npx tsx bench/render.ts [results.json]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { latencySvg, markdownTable, type BenchResults } from './report';

const RESULTS_DIR = join(__dirname, 'results');
const source = process.argv[2] ?? join(RESULTS_DIR, 'latest.json');
const results = JSON.parse(readFileSync(source, 'utf8')) as BenchResults;
writeFileSync(join(RESULTS_DIR, 'latest.md'), markdownTable(results));
writeFileSync(join(RESULTS_DIR, 'latest.svg'), latencySvg(results));
process.stdout.write(`rendered ${source} into ${RESULTS_DIR}/latest.{md,svg}\n`);

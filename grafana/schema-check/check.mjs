#!/usr/bin/env node
// Type-checks Grafana dashboards against Grafana's own schema: the TypeScript types of @grafana/schema (the version
// pinned in package-lock.json), with TypeScript's compiler. TypeScript rejects an unknown property only in an object
// literal assigned to a typed variable, so each dashboard is written out as TypeScript: every panel as a literal
// typed with the options and field config of its panel type (Grafana's table, stat, barchart ... types), and the
// dashboard without its panels as a literal typed as Grafana's Dashboard. A misspelt option, an option of another
// panel type, a value outside an enum or a missing required field then fails, naming the file and the panel.
//
//   node grafana/schema-check/check.mjs                 every grafana/*.json of the repository
//   node grafana/schema-check/check.mjs FILE.json...    these files
// Exit status: 0 all pass, 1 a dashboard fails, 2 the check cannot run (npm ci not run in grafana/schema-check).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repository = resolve(here, '..', '..');
const schema = join(here, 'node_modules', '@grafana', 'schema');
const tsc = join(here, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(schema) || !existsSync(tsc)) {
  console.error('grafana/schema-check: @grafana/schema and typescript are not installed: run `npm ci` in '
      + 'grafana/schema-check (.ci/run does)');
  process.exit(2);
}
const version = JSON.parse(readFileSync(join(schema, 'package.json'), 'utf8')).version;
const composable = join(schema, 'dist', 'esm', 'raw', 'composable');

const dashboards = join(repository, 'grafana');
const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f))
  : readdirSync(dashboards).filter((f) => f.endsWith('.json')).map((f) => join(dashboards, f));

/** The module of a panel type's options and field config, and which of them it declares; null if Grafana has none. */
function panelModule(type) {
  const folder = join(composable, type, 'panelcfg', 'x');
  if (!/^[a-z0-9]+$/.test(type) || !existsSync(folder)) {
    return null;
  }
  const declaration = readdirSync(folder).find((f) => f.endsWith('_types.gen.d.ts'));
  const text = readFileSync(join(folder, declaration), 'utf8');
  return {
    path: `@grafana/schema/dist/esm/raw/composable/${type}/panelcfg/x/${declaration.replace(/\.d\.ts$/, '.js')}`,
    options: /export interface Options\b/.test(text),
    fieldConfig: /export interface FieldConfig\b/.test(text),
  };
}

// JSON has no enums: an enum-typed field takes the enum's values as plain strings (numbers stay numbers).
const prelude = `import type * as raw from '@grafana/schema/dist/esm/raw/dashboard/x/dashboard_types.gen.js';
type Json<T> = unknown extends T ? T : T extends string ? \`\${T}\` : T extends number | boolean | null | undefined ? T
  : T extends Array<infer U> ? Array<Json<U>> : { [K in keyof T]: Json<T[K]> };
/** A panel of a type whose options are O and whose field config (fieldConfig.defaults.custom) is C. */
type PanelOf<O, C> = Omit<Json<raw.Panel>, 'options' | 'fieldConfig'> & {
  options?: Partial<Json<O>>;
  fieldConfig?: Omit<Json<raw.FieldConfigSource>, 'defaults'> & {
    defaults: Omit<Json<raw.FieldConfig>, 'custom'> & { custom?: Partial<Json<C>> };
  };
};
// An annotation query's own fields are the data source's (Prometheus: expr, step, titleFormat, tagKeys ...), which
// Grafana's schema leaves open: the fields it names are checked, the others are not.
type AnnotationOf = Omit<Json<raw.AnnotationQuery>, 'target'> & { target?: Record<string, unknown> }
  & { [field: string]: unknown };
type DashboardOf = Omit<Json<raw.Dashboard>, 'panels' | 'annotations'> & { annotations?: { list?: AnnotationOf[] } };
`;

const work = join(here, 'generated');
mkdirSync(work, { recursive: true });
const run = mkdtempSync(join(work, 'run-'));
const where = new Map(); // "generated file:line" -> what it checks, for the error messages
const sources = [];
let problems = 0;
let panels = 0;
try {
  files.forEach((file, index) => {
    const name = relative(repository, file).startsWith('..') ? file : relative(repository, file);
    let dashboard;
    try {
      dashboard = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      console.log(`${name}: not JSON: ${e.message}`);
      problems++;
      return;
    }
    // One statement a line, so that an error's line tells which panel it is about.
    const statements = [];
    const imports = new Map();
    const declare = (panel) => {
      const what = `panel ${panel.id} "${panel.title ?? ''}"`;
      if (panel.type === 'row') {
        statements.push({ what, text: `Json<raw.RowPanel> = ${JSON.stringify({ ...panel, panels: [] })}` });
        (panel.panels ?? []).forEach(declare);
        return;
      }
      const module = panelModule(panel.type);
      if (module === null) {
        console.log(`${name}, ${what}: panel type "${panel.type}" is not one of Grafana's (${version})`);
        problems++;
        return;
      }
      if (!imports.has(module.path)) {
        imports.set(module.path, `m${imports.size}`);
      }
      const alias = imports.get(module.path);
      const options = module.options ? `${alias}.Options` : 'Record<string, never>';
      const custom = module.fieldConfig ? `${alias}.FieldConfig` : 'Record<string, never>';
      statements.push({ what, text: `PanelOf<${options}, ${custom}> = ${JSON.stringify(panel)}` });
      panels++;
    };
    (dashboard.panels ?? []).forEach(declare);
    const { panels: _panels, ...rest } = dashboard;
    statements.push({ what: 'the dashboard (without its panels)', text: `DashboardOf = ${JSON.stringify(rest)}` });
    const importLines = [...imports].map(([path, alias]) => `import type * as ${alias} from '${path}';`);
    const header = [prelude.trimEnd(), ...importLines].join('\n').split('\n');
    statements.forEach((statement, i) => where.set(`${index}:${header.length + i + 1}`, `${name}, ${statement.what}`));
    const lines = [...header, ...statements.map((statement, i) => `export const s${i}: ${statement.text};`)];
    const source = join(run, `dashboard${index}.ts`);
    writeFileSync(source, lines.join('\n') + '\n');
    sources.push(source);
  });

  if (sources.length > 0) {
    writeFileSync(join(run, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', skipLibCheck: true,
        noUnusedLocals: false, types: [],
      },
      files: sources.map((s) => basename(s)),
    }));
    const result = spawnSync(process.execPath, [tsc, '-p', join(run, 'tsconfig.json'), '--pretty', 'false'],
      { encoding: 'utf8' });
    for (const line of `${result.stdout}${result.stderr}`.split('\n').filter((l) => l.trim())) {
      const m = /dashboard(\d+)\.ts\((\d+),\d+\): (.*)$/.exec(line);
      if (m === null) {
        console.log(line.startsWith(' ') ? line : `typescript: ${line}`);
        continue;
      }
      console.log(`${where.get(`${m[1]}:${m[2]}`) ?? files[Number(m[1])]}: ${m[3]}`);
      problems++;
    }
    if (result.status !== 0 && problems === 0) {
      console.log(`typescript exited with ${result.status}`);
      problems++;
    }
  }
} finally {
  rmSync(run, { recursive: true, force: true });
}
if (problems > 0) {
  console.log(`${problems} problem(s) against @grafana/schema ${version}`);
  process.exit(1);
}
console.log(`${files.length} dashboard(s), ${panels} panels: valid against @grafana/schema ${version}`);

import type { CompiledQuery, Compilable, Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { DialectAdapter } from '../dialect-adapter.js';

/** A value no caller passes: marks where an argument lands among the compiled parameters. */
function slot(index: number): string {
  return `\u0000roster-argument-${index}`;
}

/**
 * A hot statement built and compiled once per engine, then run with each call's arguments:
 * building and compiling the same Kysely query on every request costs more than running it
 * on SQLite. `build` receives placeholders for the arguments and must use each as a value
 * (never to choose the statement's shape); the compiled parameters that are placeholders
 * are replaced by the call's arguments, the others (constants of the statement) are kept.
 */
export class ReusedStatement<Row> {
  private readonly compiled = new Map<DialectAdapter['engine'], { query: CompiledQuery<Row>; positions: readonly number[] }>();

  constructor(
    private readonly arity: number,
    private readonly build: (db: Kysely<Database>, ...args: string[]) => Compilable<Row>,
  ) {}

  async execute(db: Kysely<Database>, adapter: DialectAdapter, args: readonly unknown[]): Promise<Row[]> {
    let entry = this.compiled.get(adapter.engine);
    if (entry === undefined) {
      const slots = Array.from({ length: this.arity }, (_, index) => slot(index));
      const query = this.build(db, ...slots).compile();
      const positions = query.parameters.map((value) => slots.indexOf(value as string));
      entry = { query, positions };
      this.compiled.set(adapter.engine, entry);
    }
    const { query, positions } = entry;
    const parameters = positions.map((position, index) => (position < 0 ? query.parameters[index] : args[position]));
    const result = await db.executeQuery<Row>({ ...query, parameters });
    return [...result.rows];
  }
}

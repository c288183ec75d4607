/** One line of the bench table: a figure next to its baseline from the same run. */
export interface BenchRow {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  goal: string;
  db?: 'sqlite' | 'postgres';
}

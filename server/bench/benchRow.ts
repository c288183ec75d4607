/** One line of the bench table. Every figure module (loginBench, syncBench, matchBench, …) returns these. */
export interface BenchRow {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  goal: string;
  db?: 'sqlite' | 'postgres';
}

/** One line of `npm run bench`. Each bench/<area>.ts exports `run(): Promise<BenchRow[]>`. */
export interface BenchRow {
  /** what was measured, e.g. "train step simple-cnn 64x64" */
  case: string;
  /** our measurement */
  ours: number;
  unit: string;
  /** the reference implementation's measurement (e.g. PyTorch), when there is one */
  reference?: number;
  /** ours / reference */
  ratio?: number;
  /** the target, in words, e.g. "ratio ≤ 1.5" or "≤ 2 s" */
  goal?: string;
  /** whether the goal was met */
  ok?: boolean;
  note?: string;
}

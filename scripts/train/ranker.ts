/**
 * Trainer for the attribution ranking model: conditional logistic regression (a softmax over
 * each quotation's candidates) with L2 regularisation, fitted by AdaGrad over the examples in
 * their given order. No randomness: the same examples in the same order give the same weights.
 * Several candidates may be right (two mentions of one speaker); the objective is the log of
 * their total probability.
 */

/** One quotation's ranking problem with its answer. */
export interface RankingExample {
  /** Features of each candidate. */
  candidates: string[][];
  /** Indexes of the right candidates (at least one). */
  positives: number[];
  /** How much the example counts (1 = normal). */
  weight: number;
}

/** Trainer settings. */
export interface TrainOptions {
  /** Passes over the data. */
  epochs: number;
  /** AdaGrad base learning rate. */
  rate: number;
  /** L2 penalty per example step (applied to the weights touched). */
  l2: number;
}

/** Defaults, overridable for experiments with TRAIN_EPOCHS, TRAIN_RATE and TRAIN_L2. */
export const DEFAULT_TRAIN: TrainOptions = {
  epochs: Number(process.env.TRAIN_EPOCHS ?? 30),
  rate: Number(process.env.TRAIN_RATE ?? 0.3),
  l2: Number(process.env.TRAIN_L2 ?? 1e-4),
};

/**
 * Fits weights to the examples.
 * @returns feature → weight
 */
export function trainRanker(examples: readonly RankingExample[], opt: TrainOptions = DEFAULT_TRAIN): Map<string, number> {
  const w = new Map<string, number>();
  const g2 = new Map<string, number>();
  for (let epoch = 0; epoch < opt.epochs; epoch++) {
    for (const ex of examples) {
      if (!ex.positives.length || ex.candidates.length < 2) continue;
      const scores = ex.candidates.map((fs) => fs.reduce((s, f) => s + (w.get(f) ?? 0), 0));
      const max = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - max));
      const z = exps.reduce((a, b) => a + b, 0);
      const pos = new Set(ex.positives);
      const zPos = ex.positives.reduce((a, i) => a + exps[i]!, 0);
      // gradient of -log(sum_pos p) wrt score_i: p_i - [i in pos] * p_i / p_pos
      const grad = new Map<string, number>();
      ex.candidates.forEach((fs, i) => {
        const gi = (exps[i]! / z - (pos.has(i) ? exps[i]! / zPos : 0)) * ex.weight;
        if (gi === 0) return;
        for (const f of fs) grad.set(f, (grad.get(f) ?? 0) + gi);
      });
      for (const [f, g0] of grad) {
        const wf = w.get(f) ?? 0;
        const g = g0 + opt.l2 * wf;
        const acc = (g2.get(f) ?? 0) + g * g;
        g2.set(f, acc);
        w.set(f, wf - (opt.rate * g) / Math.sqrt(acc + 1e-8));
      }
    }
  }
  return w;
}

/**
 * Example: verify the averaged generator as η → 0 for the valley
 * L = ½(1.5 + sin x)y² (σ² = 1), on worker threads, and print the verdict.
 * The tube is resolved in units of √(ηΩ), so every η costs about the same.
 *
 *   npx tsx examples/eta-sweep.ts [--small]
 */
import { loadCase } from '../src/case/schema.js';
import { verifyCase } from '../src/pipeline/verify.js';

const small = process.argv.includes('--small');
const spec = loadCase('valley');
if (small) {
  spec.grid = { kind: 'tube', along: 128, across: 24, halfWidth: 8 };
  spec.output = { frames: 6 };
  spec.time = { ...spec.time, end: 0.1 };
}
const etas = small ? [0.04, 0.02] : [0.04, 0.02, 0.01, 0.005];
const r = await verifyCase(spec, etas, { resolutionCheck: !small });
console.log(`verdict: ${r.verdict}`);
console.log(r.verdictDetail);
for (let i = 0; i < r.etas.length; i++) {
  console.log(`η = ${r.etas[i]}: L1 Li ${r.errors.li[i].toExponential(2)}, L1 seed ${r.errors.seed[i].toExponential(2)}, cells ${r.runs[i].grid.cells}, ${r.runs[i].wallSeconds.toFixed(1)} s`);
}

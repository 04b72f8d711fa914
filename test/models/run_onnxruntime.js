#!/usr/bin/env node
// Reference runner: runs an ONNX model with onnxruntime-node (CPU) on one
// .npy input and writes the first output as .npy.
//
//   run_onnxruntime.js MODEL.onnx INPUT.npy OUT.npy [--repeat=N]
//
// --repeat=N also times N further runs after a warm-up and prints
// "load_ms=… latency_ms=…" (median) for bench/frontends.sh.
// NODE_PATH must reach the node_modules installed by scripts/fetch-models.sh.
'use strict';
const path = require('path');
const {readNpy, writeNpy} = require(path.join(__dirname, 'npy.js'));

async function main() {
  const args = process.argv.slice(2);
  const repeatArg = args.find((a) => a.startsWith('--repeat='));
  const positional = args.filter((a) => !a.startsWith('--'));
  if (positional.length !== 3) {
    console.error('usage: run_onnxruntime.js MODEL.onnx INPUT.npy OUT.npy ' +
                  '[--repeat=N]');
    process.exit(2);
  }
  const [modelPath, inputPath, outPath] = positional;
  const ort = require('onnxruntime-node');
  const t0 = process.hrtime.bigint();
  // One thread, like our interpreter, so the benchmark ratio is fair.
  const session = await ort.InferenceSession.create(
      modelPath, {intraOpNumThreads : 1, interOpNumThreads : 1});
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const input = readNpy(inputPath);
  const feeds = {
    [session.inputNames[0]] : new ort.Tensor('float32', input.data, input.shape)
  };
  const results = await session.run(feeds);
  const out = results[session.outputNames[0]];
  writeNpy(outPath, out.data, out.dims.map(Number));
  if (repeatArg) {
    const n = Number(repeatArg.split('=')[1]);
    const times = [];
    for (let i = 0; i < n; ++i) {
      const t = process.hrtime.bigint();
      await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(`load_ms=${loadMs.toFixed(1)} ` +
                `latency_ms=${times[Math.floor(n / 2)].toFixed(2)}`);
  }
}

main().catch((e) => {
  console.error(`run_onnxruntime.js: ${e.message}`);
  process.exit(1);
});

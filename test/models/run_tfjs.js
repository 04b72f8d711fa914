#!/usr/bin/env node
// Reference runner: runs a TF.js model (model.json + weight shards) with
// TF.js's wasm backend on one .npy input and writes one output as .npy.
//
//   run_tfjs.js MODEL_JSON INPUT.npy OUT.npy [--layers|--graph]
//               [--output-index=N | --output-name=NAME] [--repeat=N]
//               [--list-outputs]
//
// --graph (the default) loads a graph model, --layers a Keras layers model.
// The files are read from disk by our own IOHandler, so nothing touches the
// network. --output-index picks one of a multi-output model's outputs (in
// the model's own output order; --list-outputs prints it) or, by its node
// name (":0" optional), --output-name. --repeat=N times
// N further runs after a warm-up and prints "load_ms=… latency_ms=…".
// NODE_PATH must reach the node_modules installed by scripts/fetch-models.sh.
'use strict';
const fs = require('fs');
const path = require('path');
const {readNpy, writeNpy} = require(path.join(__dirname, 'npy.js'));

// Reads model.json and the shards its weightsManifest names, in order, into
// the ModelArtifacts that tf.io expects from an IOHandler.
function fileHandler(modelJson) {
  return {
    load : async () => {
      const json = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
      const dir = path.dirname(modelJson);
      const weightSpecs = [];
      const buffers = [];
      for (const group of json.weightsManifest || []) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths)
          buffers.push(fs.readFileSync(path.join(dir, p)));
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology : json.modelTopology,
        format : json.format,
        generatedBy : json.generatedBy,
        convertedBy : json.convertedBy,
        signature : json.signature,
        userDefinedMetadata : json.userDefinedMetadata,
        modelInitializer : json.modelInitializer,
        trainingConfig : json.trainingConfig,
        weightSpecs,
        weightData :
            all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

async function main() {
  const args = process.argv.slice(2);
  const flag = (name) => {
    const a = args.find((x) => x.startsWith(`--${name}=`));
    return a === undefined ? undefined : Number(a.split('=')[1]);
  };
  const positional = args.filter((a) => !a.startsWith('--'));
  if (positional.length !== 3) {
    console.error('usage: run_tfjs.js MODEL_JSON INPUT.npy OUT.npy ' +
                  '[--layers|--graph] [--output-index=N] [--repeat=N]');
    process.exit(2);
  }
  const [modelJson, inputPath, outPath] = positional;
  const layers = args.includes('--layers');
  const nameArg = args.find((x) => x.startsWith('--output-name='));
  let outputIndex = flag('output-index') || 0;
  const repeat = flag('repeat');

  const tf = require('@tensorflow/tfjs');
  require('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm')))
    throw new Error('no wasm backend');
  await tf.ready();

  const t0 = process.hrtime.bigint();
  const model = layers ? await tf.loadLayersModel(fileHandler(modelJson))
                       : await tf.loadGraphModel(fileHandler(modelJson));
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const names = layers ? model.outputNames : model.outputNodes;
  if (args.includes('--list-outputs'))
    names.forEach((n, i) => console.log(`${i}: ${n}`));
  if (nameArg) {
    const want = nameArg.slice('--output-name='.length).replace(/:0$/, '');
    outputIndex = names.findIndex((n) => n.replace(/:0$/, '') === want);
    if (outputIndex < 0)
      throw new Error(`no output named ${want} (outputs: ${names})`);
  }

  const input = readNpy(inputPath);
  const x = tf.tensor(input.data, input.shape, 'float32');
  const run = () => {
    const y = layers ? model.predict(x) : model.execute(x);
    return Array.isArray(y) ? y : [ y ];
  };
  const outs = run();
  if (outputIndex >= outs.length)
    throw new Error(`--output-index=${outputIndex}: the model has ` +
                    `${outs.length} outputs`);
  const out = outs[outputIndex];
  writeNpy(outPath, new Float32Array(await out.data()), out.shape);
  tf.dispose(outs);

  if (repeat) {
    const times = [];
    for (let i = 0; i < repeat; ++i) {
      const t = process.hrtime.bigint();
      const ys = run();
      await Promise.all(ys.map((y) => y.data()));
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      tf.dispose(ys);
    }
    times.sort((a, b) => a - b);
    console.log(`load_ms=${loadMs.toFixed(1)} ` +
                `latency_ms=${times[Math.floor(repeat / 2)].toFixed(2)}`);
  }
}

main().catch((e) => {
  console.error(`run_tfjs.js: ${e.message}`);
  process.exit(1);
});

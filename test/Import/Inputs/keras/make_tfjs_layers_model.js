// Writes a small TF.js layers model with TF.js itself (the real writer),
// plus an input and TF.js's own prediction for it:
//
//   cd /tmp/keras-npm && npm install @tensorflow/tfjs
//   NODE_PATH=/tmp/keras-npm/node_modules node make_tfjs_layers_model.js OUT_DIR
//
// OUT_DIR gets model.json + weights.bin (saved through
// tf.io.withSaveHandler, as tf.io.browserFiles / file:// would lay them
// out), x.npy and y.npy (cpu backend). The committed copy lives in
// tfjs-real/; the test reads it and never runs node.
const tf = require('@tensorflow/tfjs');
const fs = require('fs');
const path = require('path');

function npy(shape, data) {
  // NumPy .npy version 1.0: magic, header length, dict header padded so
  // that the data starts at a multiple of 64 bytes.
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${
      shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'),
                        Buffer.from(new Float32Array(data).buffer)]);
}

async function main() {
  const out = process.argv[2];
  fs.mkdirSync(out, {recursive: true});
  await tf.setBackend('cpu');
  const init = (seed) => tf.initializers.randomUniform(
      {minval: -0.5, maxval: 0.5, seed});
  const input = tf.input({shape: [6, 6, 2], name: 'image'});
  let x = tf.layers.conv2d({filters: 4, kernelSize: 3, padding: 'same',
                            activation: 'relu', name: 'conv',
                            kernelInitializer: init(1),
                            biasInitializer: init(2)}).apply(input);
  let d = tf.layers.depthwiseConv2d({kernelSize: 3, strides: 2,
                                     padding: 'same', depthMultiplier: 2,
                                     name: 'dw',
                                     depthwiseInitializer: init(3),
                                     biasInitializer: init(4)}).apply(x);
  d = tf.layers.batchNormalization({
        name: 'bn', gammaInitializer: init(5), betaInitializer: init(6),
        movingMeanInitializer: init(7),
        movingVarianceInitializer: tf.initializers.constant({value: 0.7})})
          .apply(d);
  d = tf.layers.reLU({maxValue: 6, name: 'relu6'}).apply(d);
  let s = tf.layers.separableConv2d({filters: 8, kernelSize: 3,
                                     padding: 'same', name: 'sep',
                                     depthwiseInitializer: init(8),
                                     pointwiseInitializer: init(9),
                                     biasInitializer: init(10)}).apply(d);
  let a = tf.layers.add({name: 'add'}).apply([d, s]);
  let c = tf.layers.concatenate({name: 'cat'}).apply([a, d]);
  c = tf.layers.maxPooling2d({poolSize: 2, name: 'pool'}).apply(c);
  c = tf.layers.leakyReLU({alpha: 0.2, name: 'leaky'}).apply(c);
  c = tf.layers.globalAveragePooling2d({name: 'gap'}).apply(c);
  const y = tf.layers.dense({units: 3, activation: 'softmax', name: 'fc',
                             kernelInitializer: init(11),
                             biasInitializer: init(12)}).apply(c);
  const model = tf.model({inputs: input, outputs: y, name: 'tiny'});

  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    fs.writeFileSync(path.join(out, 'weights.bin'),
                     Buffer.from(artifacts.weightData));
    const json = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      weightsManifest: [{paths: ['weights.bin'],
                         weights: artifacts.weightSpecs}],
    };
    fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify(json));
    return {modelArtifactsInfo: {dateSaved: new Date(),
                                 modelTopologyType: 'JSON'}};
  }));

  const xs = tf.randomUniform([2, 6, 6, 2], -1, 1, 'float32', 42);
  const ys = model.predict(xs);
  fs.writeFileSync(path.join(out, 'x.npy'), npy(xs.shape, await xs.data()));
  fs.writeFileSync(path.join(out, 'y.npy'), npy(ys.shape, await ys.data()));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

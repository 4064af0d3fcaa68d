// One TF.js model on the wasm backend as { fit(epochs), serve() }, for bench/train/peak.js.

import { BATCH, compileTfjs, targets, tfjsBuilders, tfjsPredict, tfjsTopKMs } from './models.js';
import { tf, useBackend } from './setup.js';

export async function tfjsRun(id, dataset, train, test) {
  await useBackend('wasm');
  const builders = tfjsBuilders(tf, dataset);
  const mu = train.ratings.reduce((s, r) => s + r, 0) / train.length;
  const model = compileTfjs(tf, builders[id]);
  const [x, y, xTest] = [builders[id].inputs(train), targets(tf, train, mu), builders[id].inputs(test)];
  return {
    fit: (epochs) => model.fit(x, y, { epochs, batchSize: BATCH, shuffle: true, verbose: 0 }),
    serve: async () => {
      await tfjsPredict(model, xTest, mu);
      await tfjsTopKMs(tf, builders[id], model, dataset.userIndex.size, dataset.itemIndex.size, 4);
    },
  };
}

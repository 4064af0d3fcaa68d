// Compile-time checks (`npm run typecheck`, run by CI): options of another model kind and
// misspelt metric names are type errors. Each @ts-expect-error fails the typecheck if the
// line below it ever compiles. Not executed.
import { buildModel, createBackend, generateSynthetic } from '../../src/index.js';

export async function optionTypes(): Promise<void> {
  const ds = generateSynthetic({});
  const be = await createBackend('js');
  // @ts-expect-error factors is an option of mf and linear, not of the two-tower
  buildModel('two-tower', be, ds, ds.ratings, { factors: 64 });
  // @ts-expect-error head is a two-tower option
  buildModel('mf', be, ds, ds.ratings, { head: 'dot' });
  const { model } = buildModel('mf', be, ds, ds.ratings, { factors: 64 });
  // @ts-expect-error a misspelt monitor
  await model.fit(ds.ratings, { earlyStopping: { monitor: 'val_rsme' } });
  // @ts-expect-error a misspelt metric
  model.compile({ metrics: ['rsme'] });
  await model.fit(ds.ratings, { earlyStopping: { monitor: 'val_ndcg_at_10' } });
  model.compile({ metrics: ['rmse', 'p_at_5'] });
}

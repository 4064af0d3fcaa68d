// The demo page: plain DOM. All computation happens in worker.ts; this file only sends
// requests and draws the worker's messages. body[data-state] tells tests where we are.

import { drawChart } from './chart.js';
import type { DataChoice, FromWorker, ModelChoice, RankedItem, SyntheticSize, ToWorker } from './protocol.js';

/** Epochs suggested when a model is picked: the library's own defaults (MF's 50 shortened for a demo). */
const SUGGESTED_EPOCHS: Record<ModelChoice, number> = { mf: 20, linear: 10, 'two-tower': 8 };
const TOP_K = 10;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`demo: #${id} is missing from index.html`);
  return el as T;
};
const value = (id: string): string => $<HTMLInputElement | HTMLSelectElement>(id).value;
const fmt = (x: number, digits = 3): string => x.toFixed(digits);

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'wasmrec-trainer' });
const send = (msg: ToWorker): void => worker.postMessage(msg);

type State = 'idle' | 'training' | 'ready' | 'error';
function setState(state: State): void {
  document.body.dataset.state = state;
  $<HTMLButtonElement>('train').disabled = state === 'training';
  for (const id of ['recommend', 'cold', 'download']) $<HTMLButtonElement>(id).disabled = state !== 'ready';
}

// Frames drawn while the worker trains: proof that the page's thread stayed free.
let frames = 0;
let trainingSince = 0;
function heartbeat(): void {
  if (document.body.dataset.state !== 'training') return;
  frames++;
  requestAnimationFrame(heartbeat);
}

function dataChoice(): DataChoice {
  if (!$<HTMLInputElement>('source-files').checked) return { kind: 'synthetic', size: value('size') as SyntheticSize, seed: 42 };
  const picked = $<HTMLInputElement>('files').files;
  if (!picked || picked.length === 0) throw new Error('pick the MovieLens 100K files first (at least u.data)');
  const files: Record<string, Blob> = {};
  for (const file of picked) files[file.name] = file;
  return { kind: 'files', files };
}

function startTraining(): void {
  let data: DataChoice;
  try {
    data = dataChoice();
  } catch (err) {
    showError(err instanceof Error ? err.message : String(err));
    return;
  }
  for (const id of ['epoch-log', 'recs', 'cold-recs']) $(id).replaceChildren();
  losses.length = 0;
  vals.length = 0;
  $('chart').replaceChildren();
  for (const id of ['rmse', 'lists', 'result', 'timing', 'heartbeat', 'recs-note', 'cold-note', 'backend-info', 'data-info']) {
    const el = $(id);
    el.textContent = '';
    for (const key of Object.keys(el.dataset)) delete el.dataset[key];
  }
  $('rmse').textContent = '–';
  $<HTMLProgressElement>('progress').value = 0;
  setState('training');
  frames = 0;
  trainingSince = performance.now();
  requestAnimationFrame(heartbeat);
  const epochs = Math.max(1, Math.round(Number(value('epochs')) || 1));
  chartEpochs = epochs;
  const implicit = $<HTMLInputElement>('implicit').checked;
  send({ type: 'train', data, model: value('model') as ModelChoice, backend: value('backend') as 'wasm' | 'js', threads: Number(value('threads')), epochs, compare: $<HTMLInputElement>('compare').checked, implicit });
}

// The chart's data: training loss and the validation metric per epoch.
const losses: number[] = [];
const vals: number[] = [];
let chartEpochs = 1;
let valLabel = 'validation';

function showError(message: string): void {
  setState('error');
  const status = $('status');
  status.textContent = `error: ${message}`;
  status.className = 'error';
}

function renderItems(list: HTMLElement, items: RankedItem[]): void {
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement('li');
      const score = document.createElement('span');
      score.className = 'score';
      score.textContent = fmt(item.score, 2);
      li.append(score, ` ${item.title}`, item.genres ? ` · ${item.genres}` : '');
      if (item.because) {
        const why = document.createElement('span');
        why.className = 'because';
        why.textContent = ` — because you liked ${item.because}`;
        li.append(why);
      }
      li.dataset.id = item.id;
      return li;
    }),
  );
}

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const msg = event.data;
  const status = $('status');
  switch (msg.type) {
    case 'status':
      status.className = 'muted';
      status.textContent = msg.text;
      break;
    case 'data': {
      $('data-info').textContent = `${msg.description}: ${msg.nUsers} users × ${msg.nItems} items; split ${msg.split}: ${msg.nTrain} train / ${msg.nTest} test ratings`;
      if (msg.firstUser) $<HTMLInputElement>('user').value = msg.firstUser;
      if (msg.occupations.length > 0) {
        const select = $<HTMLSelectElement>('occupation');
        const keep = select.value;
        select.replaceChildren(...msg.occupations.map((o) => new Option(o, o, false, o === keep)));
      }
      break;
    }
    case 'backend':
      $('backend-info').textContent = `backend ${msg.name}: ${msg.features}${msg.threads > 1 ? `, ${msg.threads} threads` : ''}${msg.wasmUrl ? ` (${new URL(msg.wasmUrl).pathname.split('/').pop()})` : ''}`;
      $('backend-info').dataset.features = msg.features;
      $('backend-info').dataset.threads = String(msg.threads);
      break;
    case 'progress':
      $<HTMLProgressElement>('progress').value = Math.min(1, msg.fraction);
      break;
    case 'epoch': {
      const li = document.createElement('li');
      li.textContent = `loss ${fmt(msg.loss, 4)}   ${fmt(msg.seconds, 2)} s`;
      $('epoch-log').append(li);
      losses.push(msg.loss);
      vals.push(msg.val ?? NaN);
      if (msg.valName) valLabel = msg.valName.replace(/^val_/, 'validation ').replace(/_at_/, '@').replace(/_/g, ' ');
      drawChart($<SVGSVGElement & HTMLElement>('chart'), Math.max(chartEpochs, losses.length), [
        { name: 'training loss', values: losses, colour: '#1565c0' },
        { name: valLabel, values: vals, colour: '#ef6c00' },
      ]);
      $('chart').dataset.points = String(losses.length);
      li.scrollIntoView({ block: 'nearest' });
      $<HTMLProgressElement>('progress').value = 1;
      status.textContent = `epoch ${msg.epoch + 1} of ${msg.epochs}`;
      break;
    }
    case 'result': {
      const rmse = $('rmse');
      const implicit = Number.isNaN(msg.rmse);
      rmse.textContent = implicit ? 'implicit model: lists only' : fmt(msg.rmse);
      rmse.dataset.value = String(msg.rmse);
      rmse.dataset.baseline = String(msg.baselineRmse);
      const lists = $('lists');
      lists.textContent = `P@10 ${fmt(msg.lists.p_at_10)} · NDCG@10 ${fmt(msg.lists.ndcg_at_10)} · AUC ${fmt(msg.lists.auc)}`;
      lists.dataset.p = String(msg.lists.p_at_10);
      lists.dataset.auc = String(msg.lists.auc);
      $('result').textContent = `${implicit ? '' : `MAE ${fmt(msg.mae)} · global-mean baseline RMSE ${fmt(msg.baselineRmse)} · `}trained in ${fmt(msg.trainSeconds, 2)} s`;
      const seconds = (performance.now() - trainingSince) / 1000;
      $('heartbeat').textContent = `the page drew ${frames} frames while the worker trained (${fmt(frames / seconds, 0)} per second)`;
      $('heartbeat').dataset.frames = String(frames);
      break;
    }
    case 'timing': {
      const el = $('timing');
      el.textContent = `one ${msg.model} epoch: wasm (${msg.features}) ${fmt(msg.wasmSeconds)} s · js ${fmt(msg.jsSeconds)} s → wasm ${fmt(msg.jsSeconds / msg.wasmSeconds, 1)}× faster`;
      el.dataset.wasm = String(msg.wasmSeconds);
      el.dataset.js = String(msg.jsSeconds);
      break;
    }
    case 'done':
      status.className = 'muted';
      status.textContent = 'done: pick a user, or describe a new one';
      setState('ready');
      break;
    case 'diagram': {
      const box = $('diagram');
      // summarySvg's output is a standalone document; inline it without the XML declaration.
      box.innerHTML = msg.svg.replace(/^<\?xml[^>]*>\s*/, '');
      box.dataset.model = msg.model;
      box.dataset.params = String(msg.params);
      $('diagram-note').textContent = `${msg.model}: ${msg.params.toLocaleString('en-US')} parameters (model.summary())`;
      break;
    }
    case 'model-file': {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([msg.bytes], { type: 'application/octet-stream' }));
      link.download = msg.name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      break;
    }
    case 'loaded':
      status.className = 'muted';
      status.textContent = `serving ${msg.name}: ${msg.kind}, ${msg.nUsers} users × ${msg.nItems} items, ${msg.params.toLocaleString('en-US')} parameters`;
      if (msg.firstUser) $<HTMLInputElement>('user').value = msg.firstUser;
      setState('ready');
      break;
    case 'recs':
      $('recs-note').textContent = msg.known ? `user ${msg.user}, excluding what they rated in training` : `user ${msg.user} is unknown: the unknown-user ranking`;
      renderItems($('recs'), msg.items);
      break;
    case 'cold':
      $('cold-note').textContent = msg.note;
      renderItems($('cold-recs'), msg.items);
      break;
    case 'error':
      showError(msg.message);
      break;
  }
};

worker.onerror = (event) => showError(event.message || 'the worker failed to start');

/** Asks the worker to draw the chosen model on the chosen data (files not picked yet: nothing to draw). */
function requestDiagram(): void {
  try {
    send({ type: 'diagram', data: dataChoice(), model: value('model') as ModelChoice });
  } catch {
    // dataChoice() throws until files are picked; the diagram follows once they are.
  }
}

$('model').addEventListener('change', () => {
  $<HTMLInputElement>('epochs').value = String(SUGGESTED_EPOCHS[value('model') as ModelChoice]);
  requestDiagram();
});
for (const id of ['size', 'source-synthetic', 'source-files']) $(id).addEventListener('change', requestDiagram);
requestDiagram();
$('files').addEventListener('change', () => {
  $<HTMLInputElement>('source-files').checked = true;
  requestDiagram();
});
$('train').addEventListener('click', startTraining);
$('download').addEventListener('click', () => send({ type: 'download' }));
$('upload').addEventListener('change', async () => {
  const file = $<HTMLInputElement>('upload').files?.[0];
  if (!file) return;
  $('status').textContent = `reading ${file.name}…`;
  const bytes = await file.arrayBuffer();
  worker.postMessage({ type: 'upload', bytes, name: file.name } satisfies ToWorker, [bytes]);
});
$('recommend').addEventListener('click', () => send({ type: 'recommend', user: value('user'), k: TOP_K }));
$('cold').addEventListener('click', () =>
  send({ type: 'cold-start', age: Number(value('age')), gender: value('gender'), occupation: value('occupation'), k: TOP_K }),
);

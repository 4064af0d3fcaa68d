// The reference backend: every kernel in plain TypeScript over the same heap layout as
// the WASM core. It is the readable specification and the "plain JS" baseline: keep it
// simple and never optimise it.

import { Backend } from '../backend.js';
import { Heap, arrayLinearMemory } from '../heap.js';
import type { Kernels } from '../kernels.js';
import { gather, gatherMean, gatherWeighted } from './embedding/gather.js';
import { scatterAdd, scatterAddMean, scatterAddWeighted } from './embedding/scatter.js';
import { take, takeRows, markRows } from './embedding/mark.js';
import { sgdSparse, momentumSparse } from './optim/sgd.js';
import { adagradSparse } from './optim/adagrad.js';
import { adamSparse } from './optim/adam.js';
import { sumSquaresRows, scaleRows } from './optim/clip.js';
import { accumulateRows } from './optim/accumulate.js';
import { gemm, gemmTn } from './linalg/gemm.js';
import { gemmNt } from './linalg/gemm-nt.js';
import { colSum } from './linalg/reduce.js';
import { relu, reluBackward, sigmoid, sigmoidBackward, tanh, tanhBackward } from './nn/activation.js';
import { rowDot, rowDotBackward } from './nn/rowdot.js';
import { mul } from './nn/mul.js';
import { fill } from './nn/fill.js';
import { runOps } from './program/run-ops.js';
import { mse } from './loss/mse.js';
import { bceLogits } from './loss/bce.js';
import { bpr } from './loss/bpr.js';
import { softmaxXentRows } from './loss/softmax.js';
import { mfSgdChunk, mfPredict, mfBackward } from './fused/mf.js';
import { skipgramSgd } from './embed/skipgram.js';
import { svdppSgd, svdppFold } from './fused/svdpp.js';
import { linkSgd } from './fused/link.js';
import { seqPool, seqPoolBackward } from './seq/pool.js';
import { seqGruForward, seqGruBackward } from './seq/gru.js';
import { spmm } from './graph/spmm.js';
import { layerNorm, layerNormBackward } from './nn/layernorm.js';
import { seqAttention, seqAttentionBackward } from './seq/attention.js';
import { seqTargetAttention, seqTargetAttentionBackward } from './seq/target-attention.js';
import { scoreInt8 } from './serve/score-int8.js';
import { denseForward, denseActBackward } from './fused/dense.js';
import { pairHidden, pairScore } from './fused/pair.js';

/** Binds every reference kernel to one heap. */
export function referenceKernels(h: Heap): Kernels {
  const kernels: Kernels = {
    gather: gather.bind(null, h),
    gatherMean: gatherMean.bind(null, h),
    scatterAdd: scatterAdd.bind(null, h),
    scatterAddMean: scatterAddMean.bind(null, h),
    gatherWeighted: gatherWeighted.bind(null, h),
    scatterAddWeighted: scatterAddWeighted.bind(null, h),
    take: take.bind(null, h),
    takeRows: takeRows.bind(null, h),
    markRows: markRows.bind(null, h),
    sgdSparse: sgdSparse.bind(null, h),
    momentumSparse: momentumSparse.bind(null, h),
    adagradSparse: adagradSparse.bind(null, h),
    adamSparse: adamSparse.bind(null, h),
    sumSquaresRows: sumSquaresRows.bind(null, h),
    scaleRows: scaleRows.bind(null, h),
    accumulateRows: accumulateRows.bind(null, h),
    gemm: gemm.bind(null, h),
    gemmNt: gemmNt.bind(null, h),
    gemmTn: gemmTn.bind(null, h),
    colSum: colSum.bind(null, h),
    relu: relu.bind(null, h),
    reluBackward: reluBackward.bind(null, h),
    sigmoid: sigmoid.bind(null, h),
    sigmoidBackward: sigmoidBackward.bind(null, h),
    tanh: tanh.bind(null, h),
    tanhBackward: tanhBackward.bind(null, h),
    rowDot: rowDot.bind(null, h),
    rowDotBackward: rowDotBackward.bind(null, h),
    mul: mul.bind(null, h),
    fill: fill.bind(null, h),
    mse: mse.bind(null, h),
    bceLogits: bceLogits.bind(null, h),
    bpr: bpr.bind(null, h),
    softmaxXentRows: softmaxXentRows.bind(null, h),
    mfSgdChunk: mfSgdChunk.bind(null, h),
    skipgramSgd: skipgramSgd.bind(null, h),
    svdppSgd: svdppSgd.bind(null, h),
    svdppFold: svdppFold.bind(null, h),
    linkSgd: linkSgd.bind(null, h),
    seqPool: seqPool.bind(null, h),
    seqPoolBackward: seqPoolBackward.bind(null, h),
    seqGruForward: seqGruForward.bind(null, h),
    seqGruBackward: seqGruBackward.bind(null, h),
    spmm: spmm.bind(null, h),
    layerNorm: layerNorm.bind(null, h),
    layerNormBackward: layerNormBackward.bind(null, h),
    seqAttention: seqAttention.bind(null, h),
    seqAttentionBackward: seqAttentionBackward.bind(null, h),
    seqTargetAttention: seqTargetAttention.bind(null, h),
    seqTargetAttentionBackward: seqTargetAttentionBackward.bind(null, h),
    scoreInt8: scoreInt8.bind(null, h),
    mfPredict: mfPredict.bind(null, h),
    mfBackward: mfBackward.bind(null, h),
    denseForward: denseForward.bind(null, h),
    denseActBackward: denseActBackward.bind(null, h),
    pairHidden: pairHidden.bind(null, h),
    pairScore: pairScore.bind(null, h),
    runOps: (opsPtr, nValues, base) => runOps(h, kernels, opsPtr, nValues, base),
  };
  return kernels;
}

/** Creates a backend whose kernels are the plain TypeScript reference. */
export function createReferenceBackend(): Backend {
  const heap = new Heap(arrayLinearMemory(), 16);
  return new Backend('js', referenceKernels(heap), heap, 'scalar');
}

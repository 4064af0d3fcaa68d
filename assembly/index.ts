// The WASM core's exports: kernels only, one family per folder.
export { heapBase } from './runtime';
export * from './embedding/gather';
export * from './embedding/scatter';
export * from './embedding/unique';
export * from './optim/sgd';
export * from './optim/adagrad';
export * from './optim/adam';
export * from './linalg/gemm';
export * from './linalg/reduce';
export * from './nn/activation';
export * from './nn/rowdot';
export * from './nn/mul';
export * from './loss/mse';
export * from './loss/bce';
export * from './loss/bpr';
export * from './loss/softmax';
export * from './fused/mf';
export * from './fused/dense';

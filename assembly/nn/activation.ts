// STUB: to be implemented.

export function nn_relu_f32(yPtr: usize, xPtr: usize, n: i32): void {
  
}

export function nn_relu_backward_f32(dxPtr: usize, dyPtr: usize, yPtr: usize, n: i32): void {
  
}

export function nn_sigmoid_f32(yPtr: usize, xPtr: usize, n: i32): void {
  
}

export function nn_sigmoid_backward_f32(dxPtr: usize, dyPtr: usize, yPtr: usize, n: i32): void {
  
}

export function nn_tanh_f32(yPtr: usize, xPtr: usize, n: i32): void {
  
}

export function nn_tanh_backward_f32(dxPtr: usize, dyPtr: usize, yPtr: usize, n: i32): void {
  
}

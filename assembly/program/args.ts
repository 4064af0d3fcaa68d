// How a step program's argument is read. Each argument is an f64 in the list with a 2-bit
// mode (the op's mode word holds one per argument):
//   0  the value itself
//   1  the value plus `base` (an address inside the batch's columns: base = 4·batch start)
//   2  the f64 stored at that address (a per-step value: learning rate, bias corrections)
//   3  the i32 stored at that address (a count kept in memory: rows a step touched)
// Read straight from the list at each call, so threads running programs at once share no
// scratch memory.

@inline export function arg(p: usize, a: i32, modes: u32, base: f64): f64 {
  const v = load<f64>(p + (<usize>a << 3));
  const mode = (modes >> (<u32>a << 1)) & 3;
  if (mode == 0) return v;
  if (mode == 1) return v + base;
  if (mode == 2) return load<f64>(<usize>v);
  return <f64>load<i32>(<usize>v);
}

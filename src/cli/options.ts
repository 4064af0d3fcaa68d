// Option parsers shared by the commands: numbers are checked where they are read.
import { InvalidArgumentError } from 'commander';

export function intOption(min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, got '${value}'`);
    return n;
  };
}

export function floatOption(min = 0, max = Infinity) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a number in [${min}, ${max}], got '${value}'`);
    }
    return n;
  };
}

export function choiceOption<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!choices.includes(value as T)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got '${value}'`);
    return value as T;
  };
}

/** `64,32` → [64, 32]; an empty string → [] (no layers). */
export function intListOption(min = 1) {
  return (value: string): number[] => {
    if (value.trim() === '') return [];
    return value.split(',').map((part) => {
      const n = Number(part.trim());
      if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected integers ≥ ${min} separated by commas, got '${value}'`);
      return n;
    });
  };
}

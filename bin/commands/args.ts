/**
 * The one argument parser of the `bitnet` commands: node's util.parseArgs in strict mode (an unknown
 * flag is an error that names it), with `--help` / `-h` added to every command's options.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

export function parseCommandArgs<const O extends ParseArgsOptionsConfig>(argv: string[], options: O) {
  return parseArgs({ args: argv, options: { ...options, ...HELP_OPTION }, strict: true });
}

/** The same, for commands that take positional arguments. */
export function parseCommandArgsWithPositionals<const O extends ParseArgsOptionsConfig>(argv: string[], options: O) {
  return parseArgs({ args: argv, options: { ...options, ...HELP_OPTION }, strict: true, allowPositionals: true });
}

/** `--flag N` as a positive integer, or an error naming the flag and the value given. */
export function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${flag} must be a positive integer (got "${value}")`);
  return n;
}

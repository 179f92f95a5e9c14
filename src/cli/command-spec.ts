import { Argument, type Command, Option } from 'commander';

/**
 * A command's interface as plain data: its name, arguments, options and descriptions, everything
 * commander needs to print help, suggest names and reject bad usage, and nothing it needs to run.
 * `scripts/build.mjs` records the specs of every command (from the real modules, see
 * `commandSpecs` in main.ts) into `dist/cli/command-specs.js`; at start-up `synth` parses the
 * command line against stand-ins built from them, and loads a command's module only when that
 * command runs. `synth --help` thereby loads no command module, `synth status` only status's.
 */
export interface CommandSpec {
  /** Key in main.ts's COMMANDS table of the module that registers this command. */
  module: string;
  name: string;
  aliases: string[];
  description: string;
  summary: string;
  hidden: boolean;
  /** A usage line set by the command itself (`.usage(...)`), else null (commander derives it). */
  usage: string | null;
  allowUnknownOption: boolean;
  allowExcessArguments: boolean;
  passThroughOptions: boolean;
  /** False for a parent whose subcommands do the work (commander then prints its help). */
  hasAction: boolean;
  arguments: ArgumentSpec[];
  options: OptionSpec[];
  commands: CommandSpec[];
}

interface ArgumentSpec {
  name: string;
  description: string;
  required: boolean;
  variadic: boolean;
  defaultValue: unknown;
  defaultValueDescription: string | undefined;
  choices: string[] | undefined;
}

interface OptionSpec {
  flags: string;
  description: string;
  defaultValue: unknown;
  defaultValueDescription: string | undefined;
  presetArg: unknown;
  envVar: string | undefined;
  hidden: boolean;
  mandatory: boolean;
  choices: string[] | undefined;
  conflictsWith: string[];
  implied: Record<string, unknown> | undefined;
}

/** Commander keeps these settings in fields without public getters (commander 14). */
interface CommandInternals {
  _hidden: boolean;
  _usage?: string;
  _allowUnknownOption: boolean;
  _allowExcessArguments: boolean;
  _passThroughOptions: boolean;
  _actionHandler: unknown;
}

/** Option fields commander sets (`.conflicts()`, `.implies()`) but does not declare in its types. */
interface OptionInternals {
  conflictsWith: string[];
  implied: Record<string, unknown> | undefined;
}

/**
 * A registered command as data. Throws for what a spec cannot carry (a custom argument parser):
 * the build fails rather than `synth` parsing differently from the real command.
 */
export function describeCommand(cmd: Command, module: string): CommandSpec {
  const internals = cmd as unknown as CommandInternals;
  const unsupported = (what: string) => new Error(`synth ${cmd.name()}: ${what} cannot be recorded in a command spec (src/cli/command-spec.ts); parse the value in the action instead.`);
  return {
    module,
    name: cmd.name(),
    aliases: cmd.aliases(),
    description: cmd.description(),
    summary: cmd.summary(),
    hidden: internals._hidden,
    usage: internals._usage ?? null,
    allowUnknownOption: internals._allowUnknownOption,
    allowExcessArguments: internals._allowExcessArguments,
    passThroughOptions: internals._passThroughOptions,
    hasAction: internals._actionHandler !== null,
    arguments: cmd.registeredArguments.map((a) => {
      if (a.parseArg && !a.argChoices) throw unsupported(`argument ${a.name()} with a custom parser`);
      return {
        name: a.name(),
        description: a.description,
        required: a.required,
        variadic: a.variadic,
        defaultValue: a.defaultValue,
        defaultValueDescription: a.defaultValueDescription,
        choices: a.argChoices,
      };
    }),
    options: cmd.options.map((option) => {
      const o = option as Option & OptionInternals;
      if (o.parseArg && !o.argChoices) throw unsupported(`option ${o.flags} with a custom parser`);
      return {
        flags: o.flags,
        description: o.description,
        defaultValue: o.defaultValue,
        defaultValueDescription: o.defaultValueDescription,
        presetArg: o.presetArg,
        envVar: o.envVar,
        hidden: o.hidden,
        mandatory: o.mandatory,
        choices: o.argChoices,
        conflictsWith: o.conflictsWith,
        implied: o.implied,
      };
    }),
    commands: cmd.commands.map((sub) => describeCommand(sub, module)),
  };
}

/** Adds to `parent` a stand-in for the command `spec` describes; `onRun` is its action. */
export function addCommandStandIn(parent: Command, spec: CommandSpec, onRun: () => void): Command {
  const cmd = parent.command(spec.name, { hidden: spec.hidden }).description(spec.description).aliases(spec.aliases);
  if (spec.summary) cmd.summary(spec.summary);
  if (spec.usage !== null) cmd.usage(spec.usage);
  cmd.allowUnknownOption(spec.allowUnknownOption).allowExcessArguments(spec.allowExcessArguments).passThroughOptions(spec.passThroughOptions);
  for (const a of spec.arguments) {
    const name = `${a.name}${a.variadic ? '...' : ''}`;
    const arg = new Argument(a.required ? `<${name}>` : `[${name}]`, a.description);
    if (a.defaultValue !== undefined || a.defaultValueDescription !== undefined) arg.default(a.defaultValue, a.defaultValueDescription);
    if (a.choices) arg.choices(a.choices);
    cmd.addArgument(arg);
  }
  for (const o of spec.options) {
    const opt = new Option(o.flags, o.description).hideHelp(o.hidden).makeOptionMandatory(o.mandatory);
    if (o.defaultValue !== undefined || o.defaultValueDescription !== undefined) opt.default(o.defaultValue, o.defaultValueDescription);
    if (o.presetArg !== undefined) opt.preset(o.presetArg);
    if (o.envVar !== undefined) opt.env(o.envVar);
    if (o.choices) opt.choices(o.choices);
    if (o.conflictsWith.length) opt.conflicts(o.conflictsWith);
    if (o.implied) opt.implies(o.implied);
    cmd.addOption(opt);
  }
  for (const sub of spec.commands) addCommandStandIn(cmd, sub, onRun);
  if (spec.hasAction) cmd.action(onRun);
  return cmd;
}

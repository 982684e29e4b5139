import type { Place, Severity } from '../core/diagnostic.js';
import type { SourceFile } from '../core/source.js';
import type { Spec } from '../loader/model.js';

/** What a rule reports; the engine turns it into a located diagnostic. */
export interface Finding {
  /** The node the finding is about; with `key`, one of its keys or items. */
  node?: unknown;
  key?: string | number;
  /** An explicit place, when the rule already has one. */
  place?: Place;
  /** Fallback when neither node nor place locates it: the file's start. */
  file?: SourceFile;
  message: string;
  hint?: string;
  related?: (Place & { label: string })[];
}

export interface RuleContext {
  spec: Spec;
  /** The Matrix version the spec describes (e.g. "1.2"), when configured. */
  matrixVersion?: string;
  report(finding: Finding): void;
}

export interface Rule {
  /** Stable id: part of the interface (configuration, output). */
  id: string;
  /** One line: why the rule exists. Shown in `mxspec lint --list-rules` and the README. */
  why: string;
  defaultSeverity: Severity;
  /**
   * `recommended` (the default): the rule finds defects, and runs on any tree. `strict`: the rule
   * enforces this project's house style, and runs only where the configuration asks for it
   * (`extends: strict`, or the rule named under `rules:`).
   */
  preset?: 'recommended' | 'strict';
  run(ctx: RuleContext): void | Promise<void>;
}

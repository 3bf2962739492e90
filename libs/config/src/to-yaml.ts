/** Renders a config as YAML (for `ecode config show`), keys in schema order. */
import { stringify } from 'yaml';

export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, indent: 2 });
}

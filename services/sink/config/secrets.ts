/**
 * Secret references in string values, resolved after env overrides and before validation:
 *   ${env:NAME}    the value of an environment variable
 *   ${file:/path}  the contents of a file, trailing newline removed (Kubernetes secrets, Docker secrets)
 * A reference that cannot be resolved is a config error naming the key.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

const REF = /\$\{(env|file):([^}]+)\}/g;

export interface SecretProblem {
  readonly path: string;
  readonly message: string;
}

export function resolveSecretRefs(
  value: unknown,
  env: NodeJS.ProcessEnv,
  baseDir: string,
  path: string[] = [],
  problems: SecretProblem[] = [],
): { value: unknown; problems: SecretProblem[] } {
  if (typeof value === 'string') {
    const resolved = value.replace(REF, (_m, kind: string, ref: string) => {
      if (kind === 'env') {
        const v = env[ref];
        if (v === undefined) problems.push({ path: path.join('.'), message: `environment variable ${ref} is not set` });
        return v ?? '';
      }
      const file = isAbsolute(ref) ? ref : resolve(baseDir, ref);
      try {
        return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      } catch (err) {
        problems.push({ path: path.join('.'), message: `cannot read secret file ${file}: ${(err as Error).message}` });
        return '';
      }
    });
    return { value: resolved, problems };
  }
  if (Array.isArray(value)) {
    return { value: value.map((v, i) => resolveSecretRefs(v, env, baseDir, [...path, String(i)], problems).value), problems };
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = resolveSecretRefs(v, env, baseDir, [...path, k], problems).value;
    }
    return { value: out, problems };
  }
  return { value, problems };
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One entry of Vite's build manifest (dist/web/<app>/.vite/manifest.json). */
export interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

export type Manifest = Record<string, ManifestChunk>;

/**
 * The files a browser must load before the first screen shows: the entry chunk, the route chunk of that
 * screen (lazy, but loaded at once on its path), everything either imports statically, and their CSS.
 * Dynamic imports of other screens are not followed.
 */
export function firstScreenFiles(manifest: Manifest, screen: string): string[] {
  const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
  if (!entry) throw new Error('the manifest has no entry chunk');
  if (!manifest[screen]) throw new Error(`the manifest has no chunk for ${screen}`);
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  visit(entry);
  visit(screen);
  const files = new Set<string>();
  for (const key of seen) {
    files.add(manifest[key].file);
    for (const css of manifest[key].css ?? []) files.add(css);
  }
  return [...files].sort();
}

/** Every JavaScript and CSS file of a build, lazy chunks included: what a till loads over a shift. */
export function allFiles(manifest: Manifest): string[] {
  const files = new Set<string>();
  for (const chunk of Object.values(manifest)) {
    if (chunk.file.endsWith('.js') || chunk.file.endsWith('.css')) files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
  }
  return [...files].sort();
}

export interface SizedFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** Each file's size as built and gzipped (the .gz the build wrote beside it, else gzip -9 now). */
export function sizes(dir: string, files: string[]): SizedFile[] {
  return files.map((file) => {
    const path = join(dir, file);
    const gz = `${path}.gz`;
    return {
      file,
      bytes: statSync(path).size,
      gzipBytes: existsSync(gz) ? statSync(gz).size : gzipSync(readFileSync(path), { level: 9 }).length,
    };
  });
}

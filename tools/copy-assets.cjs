// Copies the non-TypeScript files the compiled code reads at run time (the Redis .lua scripts) into dist/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
function copy(dir) {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) copy(relative);
    else if (entry.name.endsWith('.lua')) {
      fs.mkdirSync(path.join(root, 'dist', dir), { recursive: true });
      fs.copyFileSync(path.join(root, relative), path.join(root, 'dist', relative));
    }
  }
}
copy('libs');

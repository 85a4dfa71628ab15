import { allFiles, firstScreenFiles, Manifest } from './first-screen';

describe('first screen of a web app', () => {
  const manifest: Manifest = {
    'index.html': {
      file: 'assets/index-a.js',
      isEntry: true,
      imports: ['_react.js', '_runtime.js'],
      css: ['assets/index-a.css'],
    },
    '_react.js': { file: 'assets/react-b.js' },
    '_runtime.js': { file: 'assets/runtime-c.js', imports: ['_react.js'], css: ['assets/runtime-c.css'] },
    'src/screens/login.tsx': { file: 'assets/login-d.js', imports: ['_react.js', 'index.html', '_identity.js'] },
    '_identity.js': { file: 'assets/identity-e.js' },
    'src/screens/wallet.tsx': { file: 'assets/wallet-f.js', imports: ['_qr.js'], css: ['assets/wallet-f.css'] },
    '_qr.js': { file: 'assets/qr-g.js' },
  };

  it('counts the entry, the screen, their static imports and their CSS, not the other screens', () => {
    expect(firstScreenFiles(manifest, 'src/screens/login.tsx')).toEqual([
      'assets/identity-e.js',
      'assets/index-a.css',
      'assets/index-a.js',
      'assets/login-d.js',
      'assets/react-b.js',
      'assets/runtime-c.css',
      'assets/runtime-c.js',
    ]);
  });

  it('counts every JavaScript and CSS file of the build for a whole app, lazy screens included', () => {
    expect(allFiles({ ...manifest, 'logo.svg': { file: 'assets/logo-h.svg' } })).toEqual([
      'assets/identity-e.js',
      'assets/index-a.css',
      'assets/index-a.js',
      'assets/login-d.js',
      'assets/qr-g.js',
      'assets/react-b.js',
      'assets/runtime-c.css',
      'assets/runtime-c.js',
      'assets/wallet-f.css',
      'assets/wallet-f.js',
    ]);
  });

  it('refuses a screen the build does not have', () => {
    expect(() => firstScreenFiles(manifest, 'src/screens/nope.tsx')).toThrow(
      'the manifest has no chunk for src/screens/nope.tsx',
    );
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@quan/testing';
import { API_NODE_OPTIONS, withApiNodeOptions } from './processes';

describe('the api process options', () => {
  it('are the ones the api image sets, so npm start and the benchmarks run the api as it is deployed', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'deploy/Dockerfile'), 'utf8');
    const apiStage = dockerfile.slice(dockerfile.indexOf('FROM runtime AS api'));
    expect(apiStage).toContain(`ENV NODE_OPTIONS="${API_NODE_OPTIONS}"`);
  });

  it('are added to the NODE_OPTIONS the caller gave, not put in their place', () => {
    expect(withApiNodeOptions({ NODE_OPTIONS: '--enable-source-maps', PORT: '3000' })).toEqual({
      NODE_OPTIONS: `--enable-source-maps ${API_NODE_OPTIONS}`,
      PORT: '3000',
    });
    expect(withApiNodeOptions({}).NODE_OPTIONS).toBe(API_NODE_OPTIONS);
  });
});

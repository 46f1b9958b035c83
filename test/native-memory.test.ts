import { describe, expect, it } from 'vitest';
import { limitNativeMemory } from '../src/astro/native-memory.ts';

describe('limitNativeMemory', () => {
  it('turns mimalloc transparent huge pages off when the environment says nothing', () => {
    const env: NodeJS.ProcessEnv = {};
    limitNativeMemory(env);
    expect(env.MIMALLOC_ALLOW_THP).toBe('0');
  });

  it('keeps a value the user set', () => {
    const env: NodeJS.ProcessEnv = { MIMALLOC_ALLOW_THP: '1' };
    limitNativeMemory(env);
    expect(env.MIMALLOC_ALLOW_THP).toBe('1');
  });
});

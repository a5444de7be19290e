import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { App } from './App.tsx';

describe('App', () => {
  it('explains how to connect a legacy client when there is nothing to show', () => {
    render(<App />);
    expect(screen.getByRole('heading', { name: 'MSN Gateway Inspector' })).toBeTruthy();
    expect(screen.getByText('127.0.0.1 gateway.messenger.hotmail.com')).toBeTruthy();
  });
});

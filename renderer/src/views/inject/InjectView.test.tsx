import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../../lib/base64.ts';
import { session } from '../../test/records.ts';
import { renderView } from '../../test/render.tsx';
import { InjectView } from './InjectView.tsx';

const sessions = [session('s1'), session('s2', { server: 'SB', parentSessionId: 's1' })];

describe('InjectView', () => {
  it('validates live and sends to the server with TrID and byte length filled in', async () => {
    const { client } = renderView(<InjectView />, { snapshot: { sessions } });
    fireEvent.change(screen.getByRole('combobox', { name: /Session/ }), { target: { value: 's2' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Command' }), { target: { value: 'MSG N' } });
    // MSG from the client carries a payload: both buttons wait for one.
    expect((screen.getByRole('button', { name: 'Send to server' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Payload' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Payload' }), { target: { value: 'MIME-Version: 1.0\r\n\r\nñ' } });
    expect(screen.getByText('23 bytes')).toBeTruthy();
    expect(screen.getByLabelText('Wire preview').textContent).toContain('MSG <TrID> N 23↵');
    fireEvent.click(screen.getByRole('button', { name: 'Send to server' }));
    await waitFor(() => expect(client.callsOf('inject.send').length).toBe(1));
    const sent = client.callsOf('inject.send')[0];
    expect(sent).toMatchObject({ sessionId: 's2', to: 'server', verb: 'MSG', args: ['N'], trid: 'auto' });
    expect(base64ToBytes(sent.payload!).length).toBe(23);
    expect(await screen.findByText(/Sent to the server/)).toBeTruthy();
  });

  it('fills a template and sends to the client', async () => {
    const { client } = renderView(<InjectView />, { snapshot: { sessions } });
    fireEvent.change(screen.getByRole('combobox', { name: /Template/ }), { target: { value: 'client:0' } });
    expect((screen.getByRole('textbox', { name: 'Command' }) as HTMLInputElement).value).toBe('NLN NLN bob@example.com Bob 0');
    fireEvent.click(screen.getByRole('button', { name: 'Send to client' }));
    await waitFor(() => expect(client.callsOf('inject.send')[0]).toMatchObject({ sessionId: 's1', to: 'client', verb: 'NLN', trid: undefined }));
  });

  it('shows the codec error for a bad command and the core refusal', async () => {
    const { client } = renderView(<InjectView />, { snapshot: { sessions } });
    client.on('inject.send', () => ({ ok: false, error: 'session is closed' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Command' }), { target: { value: 'chg NLN' } });
    expect(screen.getByRole('alert').textContent).toMatch(/invalid verb/);
    fireEvent.change(screen.getByRole('textbox', { name: 'Command' }), { target: { value: 'CHG NLN 0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send to server' }));
    expect(await screen.findByText('Refused: session is closed')).toBeTruthy();
  });
});

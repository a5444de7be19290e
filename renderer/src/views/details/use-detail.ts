// Fetches the decoded view of the selected command and the raw HTTP of its exchange; ignores
// answers that arrive after the selection moved on.
import { useEffect, useState } from 'react';
import type { CommandDetail, ExchangeDetail } from '../../../../shared/api/contract.ts';
import { useClient } from '../../store/context.tsx';

export type Loaded<T> = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; value: T | null } | { state: 'error'; error: string };

export function useCommandDetail(id: number | null): Loaded<CommandDetail> {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded<CommandDetail>>({ state: 'idle' });
  useEffect(() => {
    if (id === null) {
      setLoaded({ state: 'idle' });
      return;
    }
    let live = true;
    setLoaded({ state: 'loading' });
    client.call('commands.get', { id }).then(
      (value) => live && setLoaded({ state: 'ready', value }),
      (error: Error) => live && setLoaded({ state: 'error', error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [client, id]);
  return loaded;
}

export function useExchangeDetail(id: number | null): Loaded<ExchangeDetail> {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded<ExchangeDetail>>({ state: 'idle' });
  useEffect(() => {
    if (id === null) {
      setLoaded({ state: 'idle' });
      return;
    }
    let live = true;
    setLoaded({ state: 'loading' });
    client.call('exchanges.get', { id }).then(
      (value) => live && setLoaded({ state: 'ready', value }),
      (error: Error) => live && setLoaded({ state: 'error', error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [client, id]);
  return loaded;
}

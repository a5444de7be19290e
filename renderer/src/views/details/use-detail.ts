// Fetches the decoded view of the selected command and the raw HTTP of its exchange; ignores
// answers that arrive after the selection moved on.
import { useEffect, useState } from 'react';
import type { CommandDetail, ExchangeDetail } from '../../../../shared/api/contract.ts';
import { useClient } from '../../store/context.tsx';

export type Loaded<T> = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; value: T | null } | { state: 'error'; error: string };

function useDetail<N extends 'commands.get' | 'exchanges.get', T>(op: N, id: number | null): Loaded<T> {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'idle' });
  useEffect(() => {
    if (id === null) {
      setLoaded({ state: 'idle' });
      return;
    }
    let live = true;
    setLoaded({ state: 'loading' });
    client.call(op, { id }).then(
      (value) => live && setLoaded({ state: 'ready', value: value as T | null }),
      (error: Error) => live && setLoaded({ state: 'error', error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [client, op, id]);
  return loaded;
}

export function useCommandDetail(id: number | null): Loaded<CommandDetail> {
  return useDetail<'commands.get', CommandDetail>('commands.get', id);
}

export function useExchangeDetail(id: number | null): Loaded<ExchangeDetail> {
  return useDetail<'exchanges.get', ExchangeDetail>('exchanges.get', id);
}

// The Commands grid's columns: header, width and cell for each configurable column.
import type { ReactNode } from 'react';
import type { CommandRecord, SessionRecord } from '../../../../shared/api/contract.ts';
import { arrow, formatBytes, formatDuration, formatTime } from '../../lib/format.ts';
import type { ColumnKey } from '../../store/types.ts';

export interface CellContext {
  command: CommandRecord;
  previous: CommandRecord | undefined;
  /** See sessionLabel(). */
  sessionLabel: string;
}

export interface Column {
  key: ColumnKey;
  title: string;
  /** Documentation of the cell width; theme.css sets it per column class (.cell.<key>). */
  width: string;
  cell(ctx: CellContext): ReactNode;
}

export const COLUMNS: Record<ColumnKey, Column> = {
  time: { key: 'time', title: 'Time', width: '7.5rem', cell: ({ command }) => formatTime(command.time) },
  delta: {
    key: 'delta',
    title: 'Δt',
    width: '5.5rem',
    cell: ({ command, previous }) => (previous ? `+${formatDuration(command.time - previous.time)}` : ''),
  },
  direction: {
    key: 'direction',
    title: 'Dir',
    width: '3.2rem',
    cell: ({ command }) => <span className={`dir ${command.direction}`}>{arrow(command.direction)}</span>,
  },
  session: {
    key: 'session',
    title: 'Session',
    width: '7rem',
    cell: ({ sessionLabel }) => sessionLabel,
  },
  verb: {
    key: 'verb',
    title: 'Verb',
    width: '3.5rem',
    cell: ({ command }) => (command.verb === null ? <span className="malformed">bad</span> : <b className={command.errorCode !== null ? 'error' : undefined}>{command.verb}</b>),
  },
  trid: { key: 'trid', title: 'TrID', width: '4rem', cell: ({ command }) => (command.trid === null ? '' : String(command.trid)) },
  args: {
    key: 'args',
    title: 'Arguments',
    width: 'minmax(8rem, 1fr)',
    cell: ({ command }) => (command.malformed !== null ? command.malformed : command.args.join(' ')),
  },
  size: {
    key: 'size',
    title: 'Payload',
    width: '5rem',
    cell: ({ command }) => (command.payloadLength === null ? '' : formatBytes(command.payloadLength)),
  },
  findings: {
    key: 'findings',
    title: 'Findings',
    width: '4.5rem',
    cell: ({ command }) =>
      command.findingIds.length > 0 || command.origin !== 'wire' ? (
        <span className="finding-mark" title={command.origin !== 'wire' ? command.origin : 'has findings'}>
          {command.origin === 'injected' ? '✚' : command.origin === 'edited' ? '✎' : ''}
          {command.findingIds.length > 0 ? `⚠${command.findingIds.length}` : ''}
        </span>
      ) : (
        ''
      ),
  },
};

export function sessionLabel(command: CommandRecord, session: SessionRecord | undefined): string {
  return session ? `${session.server} ${command.sessionId}` : command.sessionId;
}

// The line above the table: what is watched, where, how many, and whether the watch is healthy.
import { Box, Text } from 'ink';
import type { WatcherState } from '../../../lib/runtime/watcher.js';
import { stateLabel, type ConnectionSnapshot } from './connection.js';

export interface TableTitle {
  /** The resource as the user sees it, e.g. `pods` or `widgets.example.com`. */
  resource: string;
  context?: string;
  /** The namespace; undefined for all namespaces (-A) or a cluster-scoped resource. */
  namespace?: string;
  allNamespaces?: boolean;
}

const STATE_COLOR: Record<WatcherState, string> = { listing: 'yellow', relisting: 'yellow', watching: 'green', backoff: 'red' };

/** `matching`: how many objects pass the filter, when there is one. */
export function StatusLine({ title, connection, count, matching }: { title: TableTitle; connection: ConnectionSnapshot; count: number; matching: number | undefined }) {
  const where = title.allNamespaces ? 'all namespaces' : title.namespace ? `namespace: ${title.namespace}` : undefined;
  const objects = matching === undefined ? `${count} objects` : `${matching}/${count} objects`;
  return (
    <Box>
      <Text wrap="truncate-end">
        <Text bold>{title.resource}</Text>
        {title.context ? `  context: ${title.context}` : ''}
        {where ? `  ${where}` : ''}
        {`  ${objects}  `}
        <Text color={STATE_COLOR[connection.state]}>● {stateLabel(connection.state)}</Text>
        {connection.state !== 'watching' && connection.error ? <Text dimColor>{`  ${connection.error}`}</Text> : ''}
      </Text>
    </Box>
  );
}

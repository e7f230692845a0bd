// Every key of the explorer, for the `?` overlay and the footer.

export interface KeyHelp {
  keys: string;
  what: string;
}

export const TABLE_KEYS: KeyHelp[] = [
  { keys: ':', what: 'command: :pods :deploy :svc :ns :ns NAME :TYPE -A :q (Tab completes)' },
  { keys: '/', what: 'filter rows by text; /-l app=web filters by label selector' },
  { keys: '0', what: 'all namespaces' },
  { keys: 'Enter', what: 'drill down (deployment/service → pods, node → pods, namespace → pods)' },
  { keys: 'Esc', what: 'clear the filter, then go back' },
  { keys: 'y', what: 'YAML of the selected object (/ searches, n/N next/previous)' },
  { keys: 'l', what: 'live logs of the selected pod (t timestamps, w wrap)' },
  { keys: 'Ctrl-d', what: 'delete the selected object (asks first)' },
  { keys: 'r', what: 'restart the selected workload (restartedAt)' },
  { keys: '+ / -', what: 'scale the selected workload up / down by one' },
  { keys: 'j k ↑ ↓', what: 'move the selection' },
  { keys: 'PgUp PgDn g G', what: 'page, top, bottom' },
  { keys: '?', what: 'this help' },
  { keys: 'q Ctrl-c', what: 'quit' },
];

export const FOOTER = '<:>command </>filter <0>all-ns <enter>drill <y>yaml <l>logs <ctrl-d>delete <?>help <q>quit';

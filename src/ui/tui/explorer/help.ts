// Every key of the explorer, for the `?` overlay and the footer.

export interface KeyHelp {
  keys: string;
  what: string;
}

export const TABLE_KEYS: KeyHelp[] = [
  { keys: ':', what: 'command: :pods :deploy :svc :TYPE NS :TYPE -A :ns [NAME] :ctx [NAME] :q (Tab completes)' },
  { keys: '/', what: 'filter rows by text; /-l app=web filters by label selector' },
  { keys: '0', what: 'all namespaces' },
  { keys: '1-9', what: 'a recent namespace (numbered in the header)' },
  { keys: 'Enter', what: 'drill down (deployment/service → pods, node → pods, namespace → its pods or the type before :ns)' },
  { keys: 'Esc', what: 'clear the filter, then go back (each view keeps its selection)' },
  { keys: 'd', what: 'describe the selected object, with its events' },
  { keys: 'y', what: 'YAML of the selected object (/ searches, n/N next/previous)' },
  { keys: 'l', what: 'live logs of the selected pod (c container, t timestamps, w wrap, f follow, G end, s save)' },
  { keys: 'Ctrl-d', what: 'delete the selected object (asks first)' },
  { keys: 's', what: 'shell in the selected pod (or a pod of the workload/service); exit returns here' },
  { keys: 'e', what: 'edit the selected object in $KUBE_EDITOR/$EDITOR (as ktx edit); the outcome shows here' },
  { keys: 'f', what: 'port-forward the selected pod, workload or service (LOCAL:REMOTE, :REMOTE, PORT)' },
  { keys: 'F  :pf', what: 'the port-forwards started here (Enter/Ctrl-d stops one); all end on quit' },
  { keys: 'r', what: 'restart the selected workload (restartedAt)' },
  { keys: '+ / -', what: 'scale the selected workload up / down by one' },
  { keys: 'Shift-N A S', what: 'sort by name, age, status; again reverses' },
  { keys: 'j k ↑ ↓', what: 'move the selection' },
  { keys: 'PgUp PgDn g G', what: 'page, top, bottom' },
  { keys: '?', what: 'this help' },
  { keys: 'q Ctrl-c', what: 'quit' },
];

export const FOOTER = '<:>command </>filter <0>all-ns <enter>drill <d>describe <y>yaml <l>logs <ctrl-d>delete <?>help <q>quit';

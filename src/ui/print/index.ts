// Pure printers that reproduce kubectl's output byte for byte: no I/O, no CLI or UI imports.
export { humanDuration } from './age.js';
export { TabWriter, runeCount } from './tabwriter.js';
export { renderTable, tableLines, renderCell, escapeTerminal, formatLabels, type ServerTable, type TableColumn, type TableOptions, type TableRow } from './table.js';
export { sortTableRows } from './table-sort.js';
export {
  executeJsonPath,
  findJsonPathResults,
  jsonPathAsJson,
  jsonPathExecErrorMessage,
  jsonPathParseErrorMessage,
  JsonPathError,
  parseJsonPath,
  type JsonPathTemplate,
} from './jsonpath.js';
export { parseCustomColumns, parseCustomColumnsFile, relaxedJsonPathExpression, renderCustomColumns, type CustomColumn } from './custom-columns.js';
export { asList, resourceName, stripManagedFields, toJson, toYaml } from './objects.js';
export { YamlConversionError } from './yaml-json.js';
export { marshalGoJson } from './gojson.js';
export { formatGoFloat, goSprint } from './gofmt.js';

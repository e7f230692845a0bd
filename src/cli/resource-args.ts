import { UsageError } from './errors.js';

/**
 * The resource arguments of get/delete/describe, as kubectl's resource builder reads them:
 * `TYPE`, `TYPE NAME…`, `TYPE1,TYPE2 NAME…` (each type with each name), or `TYPE/NAME…`.
 */
export type ResourceArgs =
  | { form: 'types'; types: string[]; names: string[] }
  | { form: 'pairs'; pairs: Array<{ type: string; name: string }> };

export function parseResourceArgs(args: string[], command: string): ResourceArgs {
  const slashed = args.filter((a) => a.includes('/'));
  if (slashed.length > 0) {
    if (slashed.length !== args.length) {
      throw new UsageError(
        `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'ktx ${command} resource/<resource_name>' instead of 'ktx ${command} resource resource/<resource_name>'`,
      );
    }
    return {
      form: 'pairs',
      pairs: args.map((a) => {
        const parts = a.split('/');
        if (parts.length > 2) throw new UsageError('arguments in resource/name form may not have more than one slash');
        const [type = '', name = ''] = parts;
        if (!type || !name) throw new UsageError('arguments in resource/name form must have a single resource and name');
        return { type, name };
      }),
    };
  }
  const [typeList = '', ...names] = args;
  const types = typeList.split(',');
  if (types.some((t) => t === '')) throw new UsageError(`the server doesn't have a resource type "${typeList}"`);
  return { form: 'types', types, names };
}

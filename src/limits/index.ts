/**
 * Request limits as Apollo Server options: the parser's token limit, the
 * shape rule (depth, aliases, directives, root fields) and the plugin for the
 * limits that need the variables (representations, cost). The body size limit
 * lives in the HTTP layer (src/http), which answers 413 before parsing.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ParseOptions, ValidationRule } from 'graphql';
import { operationLimitsPlugin } from './operationLimitsPlugin';
import type { RequestLimits } from './settings';
import { operationShapeRule } from './validationRules';

export interface LimitOptions {
  readonly parseOptions: ParseOptions;
  readonly validationRules: ValidationRule[];
  readonly plugins: ApolloServerPlugin<BaseContext>[];
}

export function requestLimitOptions(limits: RequestLimits): LimitOptions {
  return {
    // Apollo answers a breach with GRAPHQL_PARSE_FAILED and HTTP 400 ("Document contains more than N tokens").
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [operationShapeRule(limits)],
    plugins: [operationLimitsPlugin(limits)],
  };
}

import type { Rule } from '../rule.js';
import { changelogEndpoint } from './changelog-endpoint.js';
import { changelogFragment } from './changelog-fragment.js';
import { changelogNearDuplicate } from './changelog-near-duplicate.js';
import { changelogStyle } from './changelog-style.js';
import { duplicateRoute } from './duplicate-route.js';
import { exampleUndeclaredProperty } from './example-undeclared-property.js';
import { exampleValid } from './example-valid.js';
import { knownFormat } from './known-format.js';
import { objectTitle } from './object-title.js';
import { openapiStructure } from './openapi-structure.js';
import { operationDocs } from './operation-docs.js';
import { operationIdCasing } from './operation-id-casing.js';
import { operationIdRequired } from './operation-id-required.js';
import { operationIdUnique } from './operation-id-unique.js';
import { pathParams } from './path-params.js';
import { refResolves } from './ref-resolves.js';
import { requestBodyRequired } from './request-body-required.js';
import { requiredPropertiesDefined } from './required-properties-defined.js';
import { securityDefined } from './security-defined.js';
import { treeLayout } from './tree-layout.js';
import { versionAnnotations } from './version-annotations.js';
import { yamlDuplicateKey } from './yaml-duplicate-key.js';
import { yamlSyntax } from './yaml-syntax.js';

/** Every built-in rule, in the order the README lists them. */
export const RULES: readonly Rule[] = [
  openapiStructure, yamlSyntax, yamlDuplicateKey, treeLayout, refResolves,
  operationIdRequired, operationIdUnique, operationIdCasing, duplicateRoute, pathParams,
  objectTitle, exampleValid, exampleUndeclaredProperty, requiredPropertiesDefined, securityDefined,
  requestBodyRequired, operationDocs, versionAnnotations, knownFormat,
  changelogFragment, changelogStyle, changelogEndpoint, changelogNearDuplicate,
];

import { ruleFixtureTests } from '../../testing/support.js';

ruleFixtureTests('example-valid', [
  ["data/api/test/things.yaml:15:20", "Example of POST /thing/{count} \u203a parameter count: \"seven\" is"],
  ["data/api/test/things.yaml:27:28", "Example of POST /thing/{count} \u203a request body (application/j"],
  ["data/api/test/things.yaml:31:28", "Example of POST /thing/{count} \u203a request body (application/j"],
  ["data/api/test/things.yaml:34:15", "Example of POST /thing/{count} \u203a request body: missing requi"],
  ["data/api/test/things.yaml:49:21", "Example of POST /thing/{count} \u203a response 200 example \"first"],
  ["data/event-schemas/examples/m.thing.json:4:5", "Example of event example m.thing at /content/size: \"large\" i"],
]);

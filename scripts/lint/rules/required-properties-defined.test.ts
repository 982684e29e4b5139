import { ruleFixtureTests } from '../../testing/support.js';

// The passing fixture holds a base that requires record_id, defined only by one of the schemas
// composing it (the published server-server unsigned_pdu_base.yaml does this with event_id).
ruleFixtureTests('required-properties-defined', [
  ["data/api/test/definitions/entry_base.yaml:7:12", "\"entry_id\" is required but this schema (data/api/test/definitions/entry_base.yaml) defines no such property, and neither does any schema composing it"],
  ["data/api/test/definitions/pattern_map.yaml:8:12", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\" is required but this schema"],
  ["data/api/test/definitions/shared_base.yaml:7:12", "\"owner\" is required but this schema (data/api/test/definitions/shared_base.yaml) defines no such property."],
  ["data/api/test/definitions/thing.yaml:6:18", "\"nmae\" is required but this schema (data/api/test/definitions/thing.yaml"],
]);

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** The anchor of an endpoint: method and full path, lower case, only [a-z0-9_] kept. */
export function endpointAnchor(method: string, fullPath: string): string {
  return `${method}${fullPath}`.toLowerCase().replace(/[^a-z0-9_]/g, '');
}

/** The anchor of an event: its type without dots (m.room.join_rules → mroomjoin_rules). */
export function eventAnchor(type: string): string {
  return type.toLowerCase().replace(/[^a-z0-9_]/g, '');
}

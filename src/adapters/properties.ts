/** A key-value store over one of PropertiesService's property sets (document or user). */
import type { KeyValueStore } from '../app/ports';

export function storePort(properties: GoogleAppsScript.Properties.Properties): KeyValueStore {
  return {
    get: (key) => properties.getProperty(key),
    getAll: () => properties.getProperties(),
    setMany(values) {
      const set: Record<string, string> = {};
      const gone: string[] = [];
      for (const [key, value] of Object.entries(values)) {
        if (value === null) gone.push(key);
        else set[key] = value;
      }
      // Writes first, in one call, then deletes: an execution that dies in between leaves
      // stale keys behind, never a job whose part count points at a deleted part.
      if (Object.keys(set).length) properties.setProperties(set);
      for (const key of gone) properties.deleteProperty(key);
    },
  };
}

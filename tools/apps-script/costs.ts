/**
 * Virtual time each Apps Script service call takes. Orders of magnitude follow what Apps Script
 * executions show in practice: spreadsheet reads and writes are round trips to Sheets, getters of
 * an already fetched object are nearly free, UrlFetch costs the server's latency plus overhead.
 */
export interface ServiceCosts {
  /** Loading and evaluating the project at the start of every execution. */
  startupMs: number;
  /** Cheap spreadsheet calls: getSheetByName, getLastRow, getRange, getters of a Range. */
  sheetMetaMs: number;
  getValuesMs: number;
  perCellReadMs: number;
  setValuesMs: number;
  perCellWriteMs: number;
  /** setNumberFormat(s). */
  formatMs: number;
  /** insert/delete rows and columns, sort, insertSheet, appendRow. */
  structureMs: number;
  flushMs: number;
  propertiesMs: number;
  cacheMs: number;
  lockMs: number;
  triggerMs: number;
  fetchOverheadMs: number;
  fetchAllOverheadMs: number;
  /** toast, alert, prompt, menus, sidebars, dialogs. */
  uiMs: number;
  utilitiesMs: number;
  sessionMs: number;
  htmlMs: number;
  /** How late a time-based trigger fires after its due time (Apps Script is never early). */
  triggerDelayMs: number;
}

export const DEFAULT_COSTS: ServiceCosts = {
  startupMs: 0,
  sheetMetaMs: 2,
  getValuesMs: 60,
  perCellReadMs: 0.01,
  setValuesMs: 120,
  perCellWriteMs: 0.02,
  formatMs: 80,
  structureMs: 80,
  flushMs: 100,
  propertiesMs: 15,
  cacheMs: 10,
  lockMs: 10,
  triggerMs: 50,
  fetchOverheadMs: 30,
  fetchAllOverheadMs: 50,
  uiMs: 50,
  utilitiesMs: 0,
  sessionMs: 1,
  htmlMs: 5,
  triggerDelayMs: 0,
};

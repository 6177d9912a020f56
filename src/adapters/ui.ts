/** The dialogs, toasts, sidebars and menu of the spreadsheet's UI. */
import type { Answer, UiPort } from '../app/ports';
import type { MenuHandler } from '../app/trigger-handlers';
import { isAddOn } from './script';

function answer(button: GoogleAppsScript.Base.Button): Answer {
  const ui = SpreadsheetApp.getUi();
  if (button === ui.Button.YES) return 'yes';
  if (button === ui.Button.NO) return 'no';
  if (button === ui.Button.OK) return 'ok';
  if (button === ui.Button.CANCEL) return 'cancel';
  return 'close';
}

export function uiPort(available: boolean): UiPort {
  const book = () => SpreadsheetApp.getActiveSpreadsheet();
  const ui = () => SpreadsheetApp.getUi();
  return {
    available,
    toast(message, title, seconds) {
      if (available) book().toast(message, title, seconds ?? 5);
    },
    alert(title, message) {
      if (available) ui().alert(title, message, ui().ButtonSet.OK);
    },
    confirm(title, message) {
      if (!available) return false;
      return answer(ui().alert(title, message, ui().ButtonSet.YES_NO)) === 'yes';
    },
    prompt(title, message) {
      if (!available) return { button: 'cancel', text: '' };
      const response = ui().prompt(title, message, ui().ButtonSet.OK_CANCEL);
      return { button: answer(response.getSelectedButton()), text: response.getResponseText() };
    },
    showSidebar(file, title) {
      if (available) ui().showSidebar(HtmlService.createHtmlOutputFromFile(file).setTitle(title));
    },
  };
}

/** Adds the Mayar menu; null entries are separators. */
export function installMenu(title: string, items: readonly ([string, MenuHandler] | null)[]): void {
  // An add-on's items live under Extensions → (the add-on's name).
  const ui = SpreadsheetApp.getUi();
  // Only an add-on's onOpen runs in AuthMode.NONE, where this may not be asked.
  const addOn = isAddOn(true);
  const menu = addOn ? ui.createAddonMenu() : ui.createMenu(title);
  for (const item of items) {
    if (item) menu.addItem(item[0], item[1]);
    else menu.addSeparator();
  }
  menu.addToUi();
}

/**
 * The spreadsheet UI: toasts, menus, alert/prompt dialogs answered from a scripted queue,
 * sidebars and dialogs. Everything shown is recorded in a UiLog tests can read.
 */
import { Button, ButtonSet, enumName } from './enums';
import type { Exec } from './execution';
import { HtmlOutputFake } from './html';

export interface ToastRecord {
  message: string;
  title: string;
  seconds: number | null;
  at: number;
  user: string;
  /** False when no one could see it (trigger or web-app execution). */
  shown: boolean;
}

export interface AlertRecord {
  title: string;
  message: string;
  buttons: string;
  /** The button the scripted user pressed. */
  answer: string;
  at: number;
  user: string;
}

export interface PromptRecord extends AlertRecord {
  /** The text the scripted user typed. */
  text: string;
}

export interface HtmlRecord {
  title: string;
  html: string;
  at: number;
  user: string;
}

export interface DialogRecord extends HtmlRecord {
  modal: boolean;
  width: number | null;
  height: number | null;
}

export type MenuItemRecord = { kind: 'item'; caption: string; functionName: string } | { kind: 'separator' } | { kind: 'submenu'; menu: MenuRecord };

export interface MenuRecord {
  title: string;
  addon: boolean;
  items: MenuItemRecord[];
}

/** A scripted answer: a button name ('OK', 'YES', 'NO', 'CANCEL', 'CLOSE'), or prompt text, or both. */
export type UiAnswer = string | { button?: string; text?: string };

export class UiLog {
  readonly toasts: ToastRecord[] = [];
  readonly alerts: AlertRecord[] = [];
  /** Called as each alert is shown, while its execution still runs (e.g. to see who holds a lock then). */
  onAlert: ((alert: AlertRecord) => void) | null = null;
  readonly prompts: PromptRecord[] = [];
  readonly sidebars: HtmlRecord[] = [];
  readonly dialogs: DialogRecord[] = [];
  /** Menus currently in the UI, by title (re-adding a title replaces it, as a reload would). */
  readonly menus: MenuRecord[] = [];
  /** Answers for the next alerts and prompts, consumed in order. Empty: OK (or YES) and empty text. */
  readonly answers: UiAnswer[] = [];

  menu(title: string): MenuRecord | undefined {
    return this.menus.find((m) => m.title === title);
  }
}

const BUTTONS_OF: Record<string, string[]> = {
  OK: ['OK', 'CLOSE'],
  OK_CANCEL: ['OK', 'CANCEL', 'CLOSE'],
  YES_NO: ['YES', 'NO', 'CLOSE'],
  YES_NO_CANCEL: ['YES', 'NO', 'CANCEL', 'CLOSE'],
};

class MenuFake {
  readonly #exec: Exec;
  readonly #log: UiLog;
  readonly #record: MenuRecord;

  constructor(exec: Exec, log: UiLog, record: MenuRecord) {
    this.#exec = exec;
    this.#log = log;
    this.#record = record;
  }

  addItem(caption: unknown, functionName: unknown): MenuFake {
    this.#record.items.push({ kind: 'item', caption: String(caption), functionName: String(functionName) });
    return this;
  }

  addSeparator(): MenuFake {
    this.#record.items.push({ kind: 'separator' });
    return this;
  }

  /** A menu made by Ui.createMenu, nested (https://developers.google.com/apps-script/reference/base/menu#addSubMenu(Menu)). */
  addSubMenu(menu: unknown): MenuFake {
    const sub = menu instanceof MenuFake ? menuRecords.get(menu) : undefined;
    if (!sub) throw this.#exec.signatureError('Menu.addSubMenu', [menu]);
    this.#record.items.push({ kind: 'submenu', menu: sub });
    return this;
  }

  addToUi(): void {
    this.#exec.call('Menu.addToUi', this.#exec.costs.uiMs, () => {
      const index = this.#log.menus.findIndex((m) => m.title === this.#record.title && m.addon === this.#record.addon);
      if (index >= 0) this.#log.menus.splice(index, 1, this.#record);
      else this.#log.menus.push(this.#record);
    });
  }
}

const menuRecords = new WeakMap<MenuFake, MenuRecord>();

class PromptResponseFake {
  readonly #button: unknown;
  readonly #text: string;

  constructor(button: unknown, text: string) {
    this.#button = button;
    this.#text = text;
  }

  getResponseText(): string {
    return this.#text;
  }

  getSelectedButton(): unknown {
    return this.#button;
  }
}

function htmlOf(exec: Exec, output: unknown, method: string): HtmlOutputFake {
  if (!(output instanceof HtmlOutputFake)) throw exec.signatureError(method, [output]);
  return output;
}

export class UiFake {
  readonly Button = Button;
  readonly ButtonSet = ButtonSet;
  readonly #exec: Exec;
  readonly #log: UiLog;
  readonly #addonName: string;

  constructor(exec: Exec, log: UiLog, addonName: string) {
    this.#exec = exec;
    this.#log = log;
    this.#addonName = addonName;
  }

  #menu(title: string, addon: boolean): MenuFake {
    const record: MenuRecord = { title, addon, items: [] };
    const menu = new MenuFake(this.#exec, this.#log, record);
    menuRecords.set(menu, record);
    return menu;
  }

  /** A menu, added to the UI or to another menu (https://developers.google.com/apps-script/reference/base/ui#createMenu(String)). */
  createMenu(caption: unknown): MenuFake {
    return this.#exec.call('Ui.createMenu', 0, () => this.#menu(String(caption), false));
  }

  /** The add-on's menu under Extensions (https://developers.google.com/apps-script/reference/base/ui#createAddonMenu()). */
  createAddonMenu(): MenuFake {
    return this.#exec.call('Ui.createAddonMenu', 0, () => this.#menu(this.#addonName, true));
  }

  /** Takes the next scripted answer, checking it is a button the dialog has. */
  #answer(buttonSet: string, forPrompt: boolean): { button: string; text: string } {
    const allowed = BUTTONS_OF[buttonSet] ?? ['OK'];
    const next = this.#log.answers.shift();
    let button = allowed[0] as string;
    let text = '';
    if (typeof next === 'string') {
      if (forPrompt && !allowed.includes(next.toUpperCase())) text = next;
      else button = next.toUpperCase();
    } else if (next) {
      if (next.button !== undefined) button = next.button.toUpperCase();
      text = next.text ?? '';
    }
    if (!allowed.includes(button)) throw new Error(`UiLog.answers: '${button}' is not a button of ButtonSet.${buttonSet} (${allowed.join(', ')})`);
    // Apps Script returns an empty text for a prompt closed or cancelled.
    if (button === 'CLOSE') text = '';
    return { button, text };
  }

  /** alert(prompt), alert(prompt, buttons), alert(title, prompt, buttons). */
  alert(...args: unknown[]): unknown {
    return this.#exec.call('Ui.alert', this.#exec.costs.uiMs, () => {
      const { title, message, buttons } = this.#dialogArgs('Ui.alert', args);
      const { button } = this.#answer(buttons, false);
      const record = { title, message, buttons, answer: button, at: this.#exec.now(), user: this.#exec.user };
      this.#log.alerts.push(record);
      this.#log.onAlert?.(record);
      return Button[button as keyof typeof Button];
    });
  }

  /** prompt(prompt), prompt(prompt, buttons), prompt(title, prompt, buttons). */
  prompt(...args: unknown[]): PromptResponseFake {
    return this.#exec.call('Ui.prompt', this.#exec.costs.uiMs, () => {
      const { title, message, buttons } = this.#dialogArgs('Ui.prompt', args);
      const { button, text } = this.#answer(buttons, true);
      this.#log.prompts.push({ title, message, buttons, answer: button, text, at: this.#exec.now(), user: this.#exec.user });
      return new PromptResponseFake(Button[button as keyof typeof Button], text);
    });
  }

  #dialogArgs(method: string, args: unknown[]): { title: string; message: string; buttons: string } {
    const setName = (value: unknown): string => {
      const name = enumName(value);
      if (!name || !(name in BUTTONS_OF) || typeof value === 'string') throw this.#exec.signatureError(method, args);
      return name;
    };
    if (args.length === 1) return { title: '', message: String(args[0]), buttons: 'OK' };
    if (args.length === 2) return { title: '', message: String(args[0]), buttons: setName(args[1]) };
    if (args.length === 3) return { title: String(args[0]), message: String(args[1]), buttons: setName(args[2]) };
    throw this.#exec.signatureError(method, args);
  }

  showSidebar(userInterface: unknown): void {
    this.#exec.call('Ui.showSidebar', this.#exec.costs.uiMs, () => {
      const output = htmlOf(this.#exec, userInterface, 'Ui.showSidebar');
      this.#log.sidebars.push({ title: output.getTitle(), html: output.getContent(), at: this.#exec.now(), user: this.#exec.user });
    });
  }

  #dialog(method: string, userInterface: unknown, title: unknown, modal: boolean): void {
    this.#exec.call(`Ui.${method}`, this.#exec.costs.uiMs, () => {
      const output = htmlOf(this.#exec, userInterface, `Ui.${method}`);
      this.#log.dialogs.push({
        title: title === undefined ? output.getTitle() : String(title),
        html: output.getContent(),
        at: this.#exec.now(),
        user: this.#exec.user,
        modal,
        width: output.getWidth(),
        height: output.getHeight(),
      });
    });
  }

  showModalDialog(userInterface: unknown, title: unknown): void {
    this.#dialog('showModalDialog', userInterface, title, true);
  }

  showModelessDialog(userInterface: unknown, title: unknown): void {
    this.#dialog('showModelessDialog', userInterface, title, false);
  }
}

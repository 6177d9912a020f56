/** HtmlService (sidebars and dialogs from files next to Code.js) and ContentService (web-app answers). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MimeType, SandboxMode, XFrameOptionsMode } from './enums';
import type { Exec } from './execution';

// HtmlOutput and TextOutput are local value objects in Apps Script: their methods are not
// service calls, so they are not counted and keep working after the execution ends.

export class HtmlOutputFake {
  #content: string;
  #title = '';
  #width: number | null = null;
  #height: number | null = null;

  constructor(content: string) {
    this.#content = content;
  }

  getContent(): string {
    return this.#content;
  }

  setContent(content: unknown): HtmlOutputFake {
    this.#content = String(content);
    return this;
  }

  append(addedContent: unknown): HtmlOutputFake {
    this.#content += String(addedContent);
    return this;
  }

  appendUntrusted(addedContent: unknown): HtmlOutputFake {
    this.#content += String(addedContent).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    return this;
  }

  getTitle(): string {
    return this.#title;
  }

  setTitle(title: unknown): HtmlOutputFake {
    this.#title = String(title);
    return this;
  }

  getWidth(): number | null {
    return this.#width;
  }

  setWidth(width: unknown): HtmlOutputFake {
    this.#width = Number(width);
    return this;
  }

  getHeight(): number | null {
    return this.#height;
  }

  setHeight(height: unknown): HtmlOutputFake {
    this.#height = Number(height);
    return this;
  }

  setSandboxMode(_mode: unknown): HtmlOutputFake {
    return this;
  }

  setXFrameOptionsMode(_mode: unknown): HtmlOutputFake {
    return this;
  }

  addMetaTag(_name: unknown, _content: unknown): HtmlOutputFake {
    return this;
  }

  setFaviconUrl(_url: unknown): HtmlOutputFake {
    return this;
  }
}

class HtmlTemplateFake {
  readonly #source: string;

  constructor(source: string) {
    this.#source = source;
  }

  getRawContent(): string {
    return this.#source;
  }

  /** A plain copy: the project's pages carry no scriptlets. */
  evaluate(): HtmlOutputFake {
    return new HtmlOutputFake(this.#source);
  }
}

export class HtmlServiceFake {
  readonly SandboxMode = SandboxMode;
  readonly XFrameOptionsMode = XFrameOptionsMode;
  readonly #exec: Exec;
  readonly #dir: string;

  constructor(exec: Exec, bundleDir: string) {
    this.#exec = exec;
    this.#dir = bundleDir;
  }

  #read(name: unknown): string {
    const base = String(name).replace(/\.html$/, '');
    const path = join(this.#dir, `${base}.html`);
    if (!existsSync(path)) throw this.#exec.error(`No HTML file named ${base} was found.`);
    return readFileSync(path, 'utf8');
  }

  createHtmlOutput(html?: unknown): HtmlOutputFake {
    return this.#exec.call('HtmlService.createHtmlOutput', 0, () => new HtmlOutputFake(html === undefined ? '' : String(html)));
  }

  createHtmlOutputFromFile(filename: unknown): HtmlOutputFake {
    return this.#exec.call('HtmlService.createHtmlOutputFromFile', this.#exec.costs.htmlMs, () => new HtmlOutputFake(this.#read(filename)));
  }

  createTemplate(html: unknown): HtmlTemplateFake {
    return this.#exec.call('HtmlService.createTemplate', 0, () => new HtmlTemplateFake(String(html)));
  }

  createTemplateFromFile(filename: unknown): HtmlTemplateFake {
    return this.#exec.call('HtmlService.createTemplateFromFile', this.#exec.costs.htmlMs, () => new HtmlTemplateFake(this.#read(filename)));
  }
}

export class TextOutputFake {
  #content: string;
  #mimeType: unknown = MimeType.TEXT;
  #fileName: string | null = null;

  constructor(content: string) {
    this.#content = content;
  }

  getContent(): string {
    return this.#content;
  }

  setContent(content: unknown): TextOutputFake {
    this.#content = String(content);
    return this;
  }

  append(addedContent: unknown): TextOutputFake {
    this.#content += String(addedContent);
    return this;
  }

  getMimeType(): unknown {
    return this.#mimeType;
  }

  setMimeType(mimeType: unknown): TextOutputFake {
    this.#mimeType = mimeType;
    return this;
  }

  downloadAsFile(filename: unknown): TextOutputFake {
    this.#fileName = String(filename);
    return this;
  }

  getFileName(): string | null {
    return this.#fileName;
  }
}

export class ContentServiceFake {
  readonly MimeType = MimeType;
  readonly #exec: Exec;

  constructor(exec: Exec) {
    this.#exec = exec;
  }

  createTextOutput(content?: unknown): TextOutputFake {
    return this.#exec.call('ContentService.createTextOutput', 0, () => new TextOutputFake(content === undefined ? '' : String(content)));
  }
}

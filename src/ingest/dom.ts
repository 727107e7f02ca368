/**
 * The few DOM shapes the ingest code uses, typed locally because the project compiles without
 * the DOM lib (it runs on Node). `linkedom` documents and elements satisfy them.
 */
import { parseHTML } from 'linkedom';

/** A DOM node as the walkers read it. */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  parentNode: DomNode | null;
  firstChild: DomNode | null;
  insertBefore(node: DomNode, ref: DomNode | null): DomNode;
}

/** A DOM element. */
export interface DomElement extends DomNode {
  tagName: string;
  innerHTML: string;
  isConnected: boolean;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  closest(selector: string): DomElement | null;
  remove(): void;
}

/** A DOM document. */
export interface DomDocument extends DomNode {
  title: string;
  body: DomElement | null;
  documentElement: DomElement;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  createElement(tag: string): DomElement;
}

/** Parses an HTML document with linkedom. */
export function parseDocument(html: string): DomDocument {
  return (parseHTML(html) as unknown as { document: DomDocument }).document;
}
